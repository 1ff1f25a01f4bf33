import { invalidParameter } from "../protocol/errors";
import { splitIdentifier, trimBackticks } from "./identifier";
import { type Clause, parseFilter, parseOrderBy } from "./parser";
import { comparator, lowerCaseList, NUMERIC_OPS, type NumericTest, numeric, quotedString, STRING_OPS, type StringTest } from "./terms";

/**
 * What `runs/search` understands (MLflow's SearchUtils): metrics by latest value,
 * params, tags, run attributes and the datasets a run used as input.
 */
export type RunPredicate =
  | { kind: "metric"; key: string; test: NumericTest }
  | { kind: "param" | "tag"; key: string; test: StringTest }
  | { kind: "attribute"; name: StringAttribute; test: StringTest }
  | { kind: "time"; name: TimeAttribute; test: NumericTest }
  | { kind: "dataset"; field: DatasetField; test: StringTest };

export type RunOrder =
  | { kind: "metric" | "param" | "tag"; key: string; ascending: boolean }
  | { kind: "attribute"; name: StringAttribute | TimeAttribute; ascending: boolean };

export type StringAttribute = "run_id" | "run_name" | "status" | "user_id" | "artifact_uri";
export type TimeAttribute = "start_time" | "end_time";
type DatasetField = "name" | "digest" | "context";

type Entity = "metric" | "param" | "tag" | "attribute" | "dataset";

const ENTITIES: Record<string, Entity> = {
  metric: "metric",
  metrics: "metric",
  parameter: "param",
  parameters: "param",
  param: "param",
  params: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};
const ENTITY_NAMES = "['metric', 'parameter', 'tag', 'attribute', 'dataset']";

/** Searchable attribute names as written, with MLflow's aliases resolved. */
const ATTRIBUTES: Record<string, StringAttribute | TimeAttribute> = {
  run_id: "run_id",
  run_name: "run_name",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
  status: "status",
  user_id: "user_id",
  artifact_uri: "artifact_uri",
  start_time: "start_time",
  created: "start_time",
  Created: "start_time",
  end_time: "end_time",
};
const FILTER_ATTRIBUTES = Object.keys(ATTRIBUTES);
/** Orderable attributes: the searchable ones except the spaced run-name aliases. */
const ORDER_ATTRIBUTES = FILTER_ATTRIBUTES.filter((k) => !k.includes(" "));
const TIME_ATTRIBUTES = new Set<string>(["start_time", "end_time"]);
const DATASET_FIELDS = new Set<string>(["name", "digest", "context"]);

/**
 * Parses and resolves a `runs/search` filter.
 *
 * @example
 * runFilter("metrics.acc > 0.9 AND params.model = 'cnn'")
 * // [{ kind: "metric", key: "acc", test: { op: ">", value: 0.9 } }, { kind: "param", … }]
 */
export function runFilter(filter: string | undefined): RunPredicate[] {
  return parseFilter(filter).map(resolveClause);
}

/**
 * Parses and resolves `runs/search` order_by entries; a key may appear once.
 *
 * @example
 * runOrder(["metrics.acc DESC", "start_time"])
 */
export function runOrder(orderBy: readonly string[] | undefined): RunOrder[] {
  const seen = new Set<string>();
  return (orderBy ?? []).map((text) => {
    const order = resolveOrder(text);
    const id = `${order.kind}:${order.kind === "attribute" ? order.name : order.key}`;
    if (seen.has(id)) throw invalidParameter(`\`order_by\` contains duplicate fields: ${JSON.stringify(orderBy)}`);
    seen.add(id);
    return order;
  });
}

function resolveClause(clause: Clause): RunPredicate {
  if (clause.comparator === "IS NULL" || clause.comparator === "IS NOT NULL") {
    // The recorded stock server refuses null checks on runs as unparseable clauses.
    const words = clause.comparator === "IS NULL" ? "'IS', 'NULL'" : "'IS', 'NOT NULL'";
    throw invalidParameter(`Invalid clause(s) in filter string: '${clause.identifier.text}', ${words}`);
  }
  const { entity, key } = resolveIdentifier(clause, FILTER_ATTRIBUTES);
  const value = clause.value;
  switch (entity) {
    case "metric": {
      const n = numeric(value, "Expected numeric value type for metric. Found ");
      return { kind: "metric", key, test: { op: comparator(clause, NUMERIC_OPS), value: n } };
    }
    case "param":
    case "tag": {
      const label = entity === "param" ? "parameter" : "tag";
      const s = quotedString(value, `Expected a quoted string value for ${label} (e.g. 'my-value'). Got value `);
      return { kind: entity, key, test: { op: comparator(clause, STRING_OPS), value: s } };
    }
    case "dataset": {
      const field = key as DatasetField;
      if (value.kind === "list") return { kind: "dataset", field, test: listTest(clause) };
      const s = quotedString(value, "Expected a quoted string value for dataset attributes. Got value ");
      return { kind: "dataset", field, test: { op: comparator(clause, STRING_OPS), value: s } };
    }
    case "attribute":
      return resolveAttribute(clause, key);
  }
}

function resolveAttribute(clause: Clause, key: string): RunPredicate {
  const name = ATTRIBUTES[key];
  if (TIME_ATTRIBUTES.has(name)) {
    const n = numeric(clause.value, `Expected numeric value type for numeric attribute: ${key}. Found `);
    return { kind: "time", name: name as TimeAttribute, test: { op: comparator(clause, NUMERIC_OPS), value: n } };
  }
  if (clause.value.kind === "list") {
    if (key !== "run_id") throw invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
    return { kind: "attribute", name: "run_id", test: listTest(clause) };
  }
  const s = quotedString(clause.value, "Expected a quoted string value for attributes. Got value ");
  return { kind: "attribute", name: name as StringAttribute, test: { op: comparator(clause, STRING_OPS), value: s } };
}

/** The parser reads a list only after IN or NOT IN. */
function listTest(clause: Clause): StringTest {
  return { op: clause.comparator as "IN" | "NOT IN", values: lowerCaseList(clause.value) };
}

function resolveIdentifier(
  clause: { identifier: Clause["identifier"] },
  attributeKeys: readonly string[],
): { entity: Entity; key: string } {
  const { entity: written, key } = splitIdentifier(clause.identifier);
  const name = written === undefined ? "attribute" : trimBackticks(written);
  const entity = ENTITIES[name];
  if (!entity) throw invalidParameter(`Invalid entity type '${name}'. Valid values are ${ENTITY_NAMES}`);
  if (entity === "attribute" && !attributeKeys.includes(key)) {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '{${attributeKeys.map((k) => `'${k}'`).join(", ")}}'`);
  }
  if (entity === "dataset" && !DATASET_FIELDS.has(key)) {
    throw invalidParameter(`Invalid dataset key '${key}' specified. Valid keys are '{'name', 'digest', 'context'}'`);
  }
  return { entity, key };
}

function resolveOrder(text: string): RunOrder {
  const { identifier, ascending } = parseOrderBy(text);
  const { entity, key } = resolveIdentifier({ identifier }, ORDER_ATTRIBUTES);
  if (entity === "attribute") return { kind: "attribute", name: ATTRIBUTES[key], ascending };
  if (entity === "dataset") throw invalidParameter(`Invalid identifier type '${entity}'`);
  return { kind: entity, key, ascending };
}
