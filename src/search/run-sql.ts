import { type SQL, sql } from "drizzle-orm";
import { DATASET_CONTEXT_TAG, RUN_NAME_TAG } from "../protocol/runs";
import { readableExperimentsCondition } from "../store/permissions";
import { inJson } from "../store/sql";
import type { Reader } from "./reader";
import type { RunOrder, RunPredicate, StringAttribute, TimeAttribute } from "./runs";
import { andAll, compareNumber, compareString } from "./sql";

/** A resolved `runs/search`, ready to compile. */
export interface RunSearch {
  experimentIds: readonly number[];
  lifecycleStages: readonly string[];
  predicates: readonly RunPredicate[];
  order: readonly RunOrder[];
  offset: number;
  /** Rows to fetch: one more than the page size, so the caller knows whether a next page exists. */
  limit: number;
  /** Limits the runs to experiments this user may read. */
  reader?: Reader;
}

const COLUMNS: Record<StringAttribute | TimeAttribute, SQL> = {
  run_id: sql.raw("r.run_id"),
  run_name: sql.raw("r.name"),
  status: sql.raw("r.status"),
  user_id: sql.raw("r.user_id"),
  artifact_uri: sql.raw("r.artifact_uri"),
  start_time: sql.raw("r.start_time"),
  end_time: sql.raw("r.end_time"),
};

/**
 * One SELECT of the matching runs of one page (their ids, numbered `n` in MLflow's
 * order), which store/runs.ts completes with their data. Every filter is an
 * EXISTS over the latest metrics, params, tags or inputs of the run (or a test of a row
 * the order joins), so nothing is filtered outside SQL and no row is duplicated.
 *
 * @example
 * searchRunPage(db, { experimentIds: [1], lifecycleStages: ["active"], predicates, order, offset: 0, limit: 101 }) // store/run-search.ts
 */
export function compileRunSearch(q: RunSearch): SQL {
  const joins: SQL[] = [];
  const orderTerms: SQL[] = [];
  const joined = new Map<string, SQL>();
  q.order.forEach((o, i) => {
    const { join, terms } = orderBy(o, i);
    if (join) joins.push(join);
    if (o.kind !== "attribute") joined.set(joinedKey(o.kind, o.key), sql.raw(`o${i}.value`));
    orderTerms.push(...terms);
  });
  if (!q.order.some((o) => o.kind === "attribute" && o.name === "start_time")) orderTerms.push(sql.raw("r.start_time DESC"));
  orderTerms.push(sql.raw("r.run_id ASC"));
  const order = sql.join(orderTerms, sql`, `);
  return sql`SELECT row_number() OVER (ORDER BY ${order}) AS n, r.run_id FROM runs r${sql.join(joins, sql``)}
    WHERE ${inJson(sql.raw("r.experiment_id"), q.experimentIds)}
      AND ${inJson(sql.raw("r.lifecycle_stage"), q.lifecycleStages)}${andAll([...readable(q.reader), ...q.predicates.map((p) => predicate(p, joined))])}
    ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`;
}

function readable(reader: Reader | undefined): SQL[] {
  return reader ? [readableExperimentsCondition(sql.raw("r.experiment_id"), reader.userId, reader.defaultReadable)] : [];
}

const joinedKey = (kind: string, key: string) => `${kind}:${key}`;

/**
 * A test on a metric, param or tag the order already joins reads the joined row: the
 * same row an EXISTS would seek again (the LEFT JOIN then acts as an inner join, since
 * a missing value fails every test, as it fails the EXISTS).
 */
function predicate(p: RunPredicate, joined: Map<string, SQL>): SQL {
  if (p.kind === "metric" || p.kind === "param" || p.kind === "tag") {
    const column = joined.get(joinedKey(p.kind, p.key));
    if (column) return p.kind === "metric" ? compareNumber(column, p.test) : compareString(column, p.test);
  }
  switch (p.kind) {
    case "metric":
      return sql`EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = r.run_id AND m.key = ${p.key} AND ${compareNumber(sql.raw("m.value"), p.test)})`;
    case "param":
      return sql`EXISTS (SELECT 1 FROM params p WHERE p.run_id = r.run_id AND p.key = ${p.key} AND ${compareString(sql.raw("p.value"), p.test)})`;
    case "tag":
      return tagTest(p.key, p.test);
    case "attribute":
      // MLflow matches run names on the mlflow.runName tag, which older runs carry without a name column.
      return p.name === "run_name" ? tagTest(RUN_NAME_TAG, p.test) : compareString(COLUMNS[p.name], p.test);
    case "time":
      return compareNumber(COLUMNS[p.name], p.test);
    case "dataset":
      return p.field === "context"
        ? sql`EXISTS (SELECT 1 FROM run_inputs i JOIN datasets d ON i.source_type = 'DATASET' AND d.dataset_id = i.source_id
            JOIN input_tags it ON it.input_id = i.input_id AND it.name = ${DATASET_CONTEXT_TAG}
            WHERE i.run_id = r.run_id AND ${compareString(sql.raw("it.value"), p.test)})`
        : sql`EXISTS (SELECT 1 FROM run_inputs i JOIN datasets d ON i.source_type = 'DATASET' AND d.dataset_id = i.source_id
            WHERE i.run_id = r.run_id AND ${compareString(sql.raw(`d.${p.field}`), p.test)})`;
  }
}

function tagTest(key: string, test: Parameters<typeof compareString>[1]): SQL {
  return sql`EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.run_id AND t.key = ${key} AND ${compareString(sql.raw("t.value"), test)})`;
}

const ORDER_TABLES = { metric: "latest_metrics", param: "params", tag: "run_tags" } as const;

/**
 * MLflow's ordering: missing values last in both directions, and for metrics NaN
 * after every number but before missing values.
 */
function orderBy(o: RunOrder, i: number): { join?: SQL; terms: SQL[] } {
  const direction = sql.raw(o.ascending ? "ASC" : "DESC");
  if (o.kind === "attribute") {
    const column = COLUMNS[o.name];
    return { terms: [sql`CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END`, sql`${column} ${direction}`] };
  }
  const alias = sql.raw(`o${i}`);
  const join = sql` LEFT JOIN ${sql.raw(ORDER_TABLES[o.kind])} ${alias} ON ${alias}.run_id = r.run_id AND ${alias}.key = ${o.key}`;
  const missing =
    o.kind === "metric"
      ? sql`CASE WHEN ${alias}.is_nan = 1 THEN 1 WHEN ${alias}.value IS NULL THEN 2 ELSE 0 END`
      : sql`CASE WHEN ${alias}.value IS NULL THEN 1 ELSE 0 END`;
  return { join, terms: [missing, sql`${alias}.value ${direction}`] };
}
