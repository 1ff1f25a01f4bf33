import { invalidParameter } from "../protocol/errors";
import { splitIdentifier } from "./identifier";
import { type Clause, parseFilter, parseOrderBy } from "./parser";
import { comparator, NUMERIC_OPS, type NumericTest, numeric, quotedString, STRING_OPS, type StringTest } from "./terms";

/** What `experiments/search` understands (MLflow's SearchExperimentsUtils). */
export type ExperimentPredicate =
  | { kind: "name"; test: StringTest }
  | { kind: "time"; name: ExperimentTime; test: NumericTest }
  | { kind: "tag"; key: string; test: StringTest }
  | { kind: "tagPresence"; key: string; present: boolean };

export type ExperimentTime = "creation_time" | "last_update_time";
export type ExperimentOrderKey = "name" | "experiment_id" | ExperimentTime;
export interface ExperimentOrder {
  key: ExperimentOrderKey;
  ascending: boolean;
}

const ENTITIES = ["attribute", "tag", "tags"];
const FILTER_KEYS = ["name", "creation_time", "last_update_time"];
const ORDER_KEYS: ExperimentOrderKey[] = ["name", "experiment_id", "creation_time", "last_update_time"];

/**
 * Parses and resolves an `experiments/search` filter.
 *
 * @example
 * experimentFilter("name LIKE 'exp-%' AND tags.team = 'ml'")
 */
export function experimentFilter(filter: string | undefined): ExperimentPredicate[] {
  return parseFilter(filter).map(resolveClause);
}

/**
 * Resolves order_by; the default is `creation_time DESC, experiment_id ASC`, and an
 * explicit order gets `experiment_id DESC` as tie-break unless it names experiment_id.
 *
 * @example
 * experimentOrder(["name"]) // name ASC, experiment_id DESC
 */
export function experimentOrder(orderBy: readonly string[] | undefined): ExperimentOrder[] {
  const entries = orderBy?.length ? orderBy : ["creation_time DESC", "experiment_id ASC"];
  const order = entries.map(resolveOrder);
  if (!order.some((o) => o.key === "experiment_id")) order.push({ key: "experiment_id", ascending: false });
  return order;
}

function resolveClause(clause: Clause): ExperimentPredicate {
  const { type, key } = resolveIdentifier(clause.identifier, FILTER_KEYS);
  if (clause.comparator === "IS NULL" || clause.comparator === "IS NOT NULL") {
    if (type !== "tag") throw invalidParameter(`IS NULL / IS NOT NULL is only supported for tags, not for attribute '${key}'`);
    return { kind: "tagPresence", key, present: clause.comparator === "IS NOT NULL" };
  }
  if (type === "tag") {
    const value = quotedString(clause.value, "Expected a quoted string value for tag (e.g. 'my-value'). Got value ");
    return { kind: "tag", key, test: { op: comparator(clause, STRING_OPS), value } };
  }
  if (key === "name") {
    if (clause.value.kind === "list") {
      throw invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
    }
    const value = quotedString(clause.value, "Expected a quoted string value for attributes. Got value ");
    return { kind: "name", test: { op: comparator(clause, STRING_OPS), value } };
  }
  const value = numeric(clause.value, `Expected numeric value type for numeric attribute: ${key}. Found `);
  return { kind: "time", name: key as ExperimentTime, test: { op: comparator(clause, NUMERIC_OPS), value } };
}

function resolveIdentifier(identifier: Clause["identifier"], attributeKeys: readonly string[]) {
  const { entity, key } = splitIdentifier(identifier);
  if (entity !== undefined && !ENTITIES.includes(entity)) {
    throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
  }
  const type = entity === undefined || entity === "attribute" ? "attribute" : "tag";
  if (type === "attribute" && !attributeKeys.includes(key)) {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '{${attributeKeys.map((k) => `'${k}'`).join(", ")}}'`);
  }
  return { type, key };
}

function resolveOrder(text: string): ExperimentOrder {
  const { identifier, ascending } = parseOrderBy(text);
  const { type, key } = resolveIdentifier(identifier, ORDER_KEYS);
  if (type !== "attribute") throw invalidParameter(`Invalid order_by entity: ${type}`);
  return { key: key as ExperimentOrderKey, ascending };
}
