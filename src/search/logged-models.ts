import { sql, type SQL } from "drizzle-orm";
import { invalidParameter } from "../protocol/errors";
import type { DatasetFilter, LoggedModelOrderBy } from "../protocol/logged-models";
import { splitIdentifier, trimBackticks } from "./identifier";
import { type Clause, parseFilter } from "./parser";
import { compareNumber, compareString } from "./sql";
import { stringTest } from "./string-tests";
import { comparator, NUMERIC_OPS, numeric } from "./terms";

/**
 * `logged-models/search` (MLflow's search_logged_model_utils) over the shared filter
 * parser: entities `attributes` (or none), `metrics`, `params`, `tags`, compiled to
 * SQL over `logged_models lm`.
 */
const STRING_ATTRIBUTES: Record<string, string> = {
  name: "name",
  model_id: "model_id",
  model_type: "model_type",
  status: "status",
  source_run_id: "source_run_id",
  artifact_uri: "artifact_uri",
  status_message: "status_message",
};
const NUMERIC_ATTRIBUTES: Record<string, string> = {
  creation_timestamp: "creation_timestamp_ms",
  creation_timestamp_ms: "creation_timestamp_ms",
  creation_time: "creation_timestamp_ms",
  last_updated_timestamp: "last_updated_timestamp_ms",
  last_updated_timestamp_ms: "last_updated_timestamp_ms",
  last_updated_time: "last_updated_timestamp_ms",
  experiment_id: "experiment_id",
};
const ENTITIES = ["attributes", "metrics", "params", "tags"];

/**
 * The WHERE conditions for a filter and `datasets`, which restrict metric
 * comparisons and, without any, require a metric on one of those datasets. A metric
 * comparison matches when any logged value satisfies it, as in MLflow.
 *
 * @example
 * loggedModelConditions("metrics.acc > 0.9", [{ dataset_name: "eval" }])
 */
export function loggedModelConditions(filter: string | undefined, datasets: DatasetFilter[] = []): SQL[] {
  const inDatasets = datasetCondition(datasets);
  const out: SQL[] = [];
  let metricFilters = 0;
  for (const clause of parseFilter(filter)) {
    const { entity, key } = splitIdentifier(clause.identifier);
    // MLflow's entity pattern is lower-case letters before the first dot.
    const type = entity === undefined ? "attributes" : entity;
    if (!ENTITIES.includes(type)) {
      throw invalidParameter(`Invalid entity type: '${type}'. Expected one of ['attributes', 'metrics', 'params', 'tags'].`);
    }
    if (type === "attributes") {
      out.push(attributeCondition(entity === undefined ? trimBackticks(key) : key, clause));
    } else if (type === "metrics") {
      metricFilters++;
      const cmp = compareNumber(sql.raw("m.value"), numericTest(clause));
      out.push(sql`EXISTS (SELECT 1 FROM metrics m WHERE m.model_id = lm.model_id AND m.key = ${key}
                    AND m.is_nan = 0 AND ${cmp}${inDatasets ? sql` AND ${inDatasets}` : sql``})`);
    } else {
      const table = sql.raw(type === "params" ? "logged_model_params" : "logged_model_tags");
      const cmp = compareString(sql.raw("x.value"), stringTest(clause));
      out.push(sql`EXISTS (SELECT 1 FROM ${table} x WHERE x.model_id = lm.model_id AND x.key = ${key} AND ${cmp})`);
    }
  }
  if (inDatasets && metricFilters === 0) {
    out.push(sql`EXISTS (SELECT 1 FROM metrics m WHERE m.model_id = lm.model_id AND ${inDatasets})`);
  }
  return out;
}

function numericTest(clause: Clause) {
  return { op: comparator(clause, NUMERIC_OPS), value: numeric(clause.value, `Expected a numeric value for ${clause.identifier.text} but got `) };
}

function attributeCondition(key: string, clause: Clause): SQL {
  if (key in NUMERIC_ATTRIBUTES) return compareNumber(sql.raw(`lm.${NUMERIC_ATTRIBUTES[key]}`), numericTest(clause));
  if (key in STRING_ATTRIBUTES) return compareString(sql.raw(`COALESCE(lm.${STRING_ATTRIBUTES[key]}, '')`), stringTest(clause));
  throw invalidParameter(`Invalid attribute key: '${key}'.`);
}

function datasetCondition(datasets: DatasetFilter[]): SQL | undefined {
  if (!datasets.length) return undefined;
  const parts = datasets.map((d) => {
    if (!d.dataset_name) throw invalidParameter("`dataset_name` in the `datasets` clause must be specified.");
    return d.dataset_digest
      ? sql`(m.dataset_name = ${d.dataset_name} AND m.dataset_digest = ${d.dataset_digest})`
      : sql`m.dataset_name = ${d.dataset_name}`;
  });
  return sql`(${sql.join(parts, sql` OR `)})`;
}

/**
 * ORDER BY terms: attributes or `metrics.<key>` (latest value by timestamp then
 * step, optionally on one dataset), nulls last; creation time descending unless
 * already ordered by it; model id last so pages are stable.
 */
export function loggedModelOrder(orderBy: LoggedModelOrderBy[] = []): SQL {
  const terms: SQL[] = [];
  let byCreation = false;
  for (const ob of orderBy) {
    const field = ob.field_name;
    if (!field) throw invalidParameter("Invalid order by: 'field_name' is required.");
    const dir = sql.raw(ob.ascending === false ? "DESC" : "ASC");
    const expr = orderExpression(field, ob);
    if (expr.column === "lm.creation_timestamp_ms") byCreation = true;
    terms.push(sql`(${expr.sql}) IS NULL`, sql`${expr.sql} ${dir}`);
  }
  if (!byCreation) terms.push(sql`lm.creation_timestamp_ms DESC`);
  terms.push(sql`lm.model_id ASC`);
  return sql.join(terms, sql`, `);
}

function orderExpression(field: string, ob: LoggedModelOrderBy): { sql: SQL; column?: string } {
  const dot = field.indexOf(".");
  if (dot < 0) {
    const column = NUMERIC_ATTRIBUTES[field] ?? STRING_ATTRIBUTES[field];
    if (!column) throw invalidParameter(`Invalid order by field name: ${field}`);
    return { sql: sql.raw(`lm.${column}`), column: `lm.${column}` };
  }
  const entity = field.slice(0, dot);
  const key = field.slice(dot + 1);
  if (entity !== "metrics") throw invalidParameter(`Invalid order by field name: ${field}. Only metrics are supported.`);
  const name = ob.dataset_name ? sql` AND m.dataset_name = ${ob.dataset_name}` : sql``;
  const digest = ob.dataset_digest ? sql` AND m.dataset_digest = ${ob.dataset_digest}` : sql``;
  return {
    sql: sql`(SELECT CASE WHEN m.is_nan = 1 THEN NULL ELSE m.value END FROM metrics m
              WHERE m.model_id = lm.model_id AND m.key = ${key}${name}${digest}
              ORDER BY m.timestamp DESC, m.step DESC LIMIT 1)`,
  };
}
