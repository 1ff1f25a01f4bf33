import { invalidParameter } from "../protocol/errors";
import { splitIdentifier } from "./identifier";
import { type Clause, parseFilter, parseOrderBy } from "./parser";
import { comparator, lowerCaseList, NUMERIC_OPS, type NumericTest, quotedString, STRING_OPS, type StringTest } from "./terms";

/**
 * The model registry's search grammars (MLflow's SearchModelUtils and
 * SearchModelVersionUtils) over the shared filter parser: `name`-like attributes and
 * `tags.<key>` / `tag.<key>`, `attribute.` allowed as a prefix.
 */
type AttributePredicate<A extends string> = { kind: "attribute"; name: A; test: StringTest };
type TagPredicate = { kind: "tag"; key: string; test: StringTest };

export type RegisteredModelPredicate = AttributePredicate<"name"> | TagPredicate;
export type ModelVersionPredicate =
  | AttributePredicate<"name" | "run_id" | "source_path">
  | { kind: "number"; name: "version_number"; test: NumericTest }
  | TagPredicate;
type AnyPredicate = RegisteredModelPredicate | ModelVersionPredicate;

export interface RegistryOrder<F extends string> {
  field: F;
  ascending: boolean;
}
export type RegisteredModelOrderField = "name" | "creation_time" | "last_updated_time";
export type ModelVersionOrderField = "name" | "version" | "creation_time" | "last_updated_time";

/** The tag that marks a registered model (and its versions) as a prompt. */
export const IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

const ENTITIES = ["attribute", "tag", "tags"];

/**
 * Resolves a `registered-models/search` filter.
 *
 * @example
 * registeredModelFilter("name LIKE 'reg-%' AND tag.`mlflow.prompt.is_prompt` != 'true'")
 * // [{kind:"attribute",name:"name",test:{op:"LIKE",value:"reg-%"}}, {kind:"tag",key:"mlflow.prompt.is_prompt",test:{op:"!=",value:"true"}}]
 */
export function registeredModelFilter(filter: string | undefined): RegisteredModelPredicate[] {
  return parseFilter(filter).map((c) => resolveClause(c, ["name"]) as RegisteredModelPredicate);
}

/**
 * Resolves a `model-versions/search` filter: `name`, `run_id` (also `IN (…)`),
 * `source_path` (the source) and the numeric `version_number`.
 *
 * @example
 * modelVersionFilter("name = 'm' AND version_number > 1")
 */
export function modelVersionFilter(filter: string | undefined): ModelVersionPredicate[] {
  return parseFilter(filter).map((c) => resolveClause(c, ["name", "run_id", "source_path", "version_number"]) as ModelVersionPredicate);
}

/**
 * Whether a search explicitly asks for prompts (`tag.mlflow.prompt.is_prompt = 'true'`, or
 * `!= 'false'`). Otherwise prompts are hidden and clauses on that tag are dropped, so a
 * model lacking the tag matches the client's `!= 'true'`, as in MLflow.
 */
export function isQueryingPrompts(predicates: AnyPredicate[]): boolean {
  const first = predicates.find((p): p is TagPredicate => p.kind === "tag" && p.key === IS_PROMPT_TAG);
  if (!first || !("value" in first.test)) return false;
  const value = first.test.value.toLowerCase();
  return (first.test.op === "=" && value === "true") || (first.test.op === "!=" && value === "false");
}

/**
 * Resolves `registered-models/search` order_by: `name`, `last_updated_timestamp` (or
 * `timestamp`) and `creation_timestamp`; `name ASC` breaks ties.
 *
 * @example
 * registeredModelOrder(["timestamp DESC"]) // [{field:"last_updated_time",ascending:false},{field:"name",ascending:true}]
 */
export function registeredModelOrder(orderBy: readonly string[] | undefined): RegistryOrder<RegisteredModelOrderField>[] {
  const order = resolveOrder(orderBy, { name: "name", timestamp: "last_updated_time", last_updated_timestamp: "last_updated_time", creation_timestamp: "creation_time" });
  if (!order.some((o) => o.field === "name")) order.push({ field: "name", ascending: true });
  return order;
}

/**
 * Resolves `model-versions/search` order_by; the default is
 * `last_updated_timestamp DESC, name ASC, version_number DESC`, and `name ASC` /
 * `version_number DESC` break ties when not named.
 *
 * @example
 * modelVersionOrder(["version_number"]) // version ASC, name ASC
 */
export function modelVersionOrder(orderBy: readonly string[] | undefined): RegistryOrder<ModelVersionOrderField>[] {
  const entries = orderBy?.length ? orderBy : ["last_updated_timestamp DESC"];
  const order = resolveOrder(entries, { name: "name", version_number: "version", creation_timestamp: "creation_time", last_updated_timestamp: "last_updated_time" });
  if (!order.some((o) => o.field === "name")) order.push({ field: "name", ascending: true });
  if (!order.some((o) => o.field === "version")) order.push({ field: "version", ascending: false });
  return order;
}

function resolveClause(clause: Clause, attributeKeys: readonly string[]): AnyPredicate {
  const { entity, key } = splitIdentifier(clause.identifier);
  if (entity !== undefined && !ENTITIES.includes(entity)) {
    throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
  }
  if (entity === "tag" || entity === "tags") {
    const value = quotedString(clause.value, "Expected a quoted string value for tag (e.g. 'my-value'). Got value ");
    return { kind: "tag", key, test: { op: comparator(clause, STRING_OPS), value } };
  }
  if (!attributeKeys.includes(key)) {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '{${attributeKeys.map((k) => `'${k}'`).join(", ")}}'`);
  }
  if (key === "version_number") return versionNumber(clause);
  if (clause.comparator === "IN" && key === "run_id") {
    return { kind: "attribute", name: "run_id", test: { op: "IN", values: lowerCaseList(clause.value) } };
  }
  if (clause.value.kind === "list") {
    throw invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
  }
  if (clause.value.kind === "number") {
    throw invalidParameter("Only the 'version_number' attribute supports comparison with numeric values.");
  }
  const value = quotedString(clause.value, "Expected a quoted string value for attributes. Got value ");
  return { kind: "attribute", name: key as "name" | "run_id" | "source_path", test: { op: comparator(clause, STRING_OPS), value } };
}

/** A number; a quoted integer is read as one, as MLflow's SQL store compares it. */
function versionNumber(clause: Clause): ModelVersionPredicate {
  const op = comparator(clause, NUMERIC_OPS);
  const { value } = clause;
  const number = value.kind === "number" ? value.value : value.kind === "string" && /^-?\d+$/.test(value.value) ? Number(value.value) : NaN;
  if (Number.isNaN(number)) throw invalidParameter(`Expected numeric value type for numeric attribute: version_number. Found ${value.raw}`);
  return { kind: "number", name: "version_number", test: { op, value: number } };
}

function resolveOrder<F extends string>(orderBy: readonly string[] | undefined, fields: Readonly<Record<string, F>>): RegistryOrder<F>[] {
  const out: RegistryOrder<F>[] = [];
  for (const text of orderBy ?? []) {
    const { identifier, ascending } = parseOrderBy(text);
    const { entity, key } = splitIdentifier(identifier);
    if ((entity !== undefined && entity !== "attribute") || !Object.hasOwn(fields, key)) {
      throw invalidParameter(`Invalid order by key '${identifier.text}' specified. Valid keys are '${Object.keys(fields).join("', '")}'`);
    }
    const field = fields[key];
    if (out.some((o) => o.field === field)) throw invalidParameter(`\`order_by\` contains duplicate fields: ${JSON.stringify(orderBy)}`);
    out.push({ field, ascending });
  }
  return out;
}
