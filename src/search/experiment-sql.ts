import { type SQL, sql } from "drizzle-orm";
import { readableExperimentsCondition } from "../store/permissions";
import { inJson } from "../store/sql";
import type { Reader } from "./reader";
import type { ExperimentOrder, ExperimentOrderKey, ExperimentPredicate } from "./experiments";
import { andAll, compareNumber, compareString } from "./sql";

/** A resolved `experiments/search`, ready to compile. */
export interface ExperimentSearch {
  lifecycleStages: readonly string[];
  predicates: readonly ExperimentPredicate[];
  order: readonly ExperimentOrder[];
  offset: number;
  /** Rows to fetch: one more than the page size. */
  limit: number;
  /** Limits the experiments to those this user may read. */
  reader?: Reader;
}

const COLUMNS: Record<ExperimentOrderKey, SQL> = {
  name: sql.raw("e.name"),
  experiment_id: sql.raw("e.experiment_id"),
  creation_time: sql.raw("e.creation_time"),
  last_update_time: sql.raw("e.last_update_time"),
};

/**
 * One SELECT of a page of experiments with their tags (as a JSON array, in the order
 * they were set), so a search is a single D1 round trip.
 *
 * @example
 * db.all(compileExperimentSearch({ lifecycleStages: ["active"], predicates: [], order, offset: 0, limit: 1001 }))
 */
export function compileExperimentSearch(q: ExperimentSearch): SQL {
  const order = q.order.map((o) => sql`${COLUMNS[o.key]} ${sql.raw(o.ascending ? "ASC" : "DESC")}`);
  return sql`SELECT e.experiment_id AS experimentId, e.name AS name, e.artifact_location AS artifactLocation,
      e.lifecycle_stage AS lifecycleStage, e.creation_time AS creationTime, e.last_update_time AS lastUpdateTime,
      (SELECT json_group_array(json_object('key', t.key, 'value', t.value))
         FROM (SELECT key, value FROM experiment_tags WHERE experiment_id = e.experiment_id ORDER BY rowid) t) AS tags
    FROM experiments e
    WHERE ${inJson(sql.raw("e.lifecycle_stage"), q.lifecycleStages)}${andAll([...readable(q.reader), ...q.predicates.map(predicate)])}
    ORDER BY ${sql.join(order, sql`, `)} LIMIT ${q.limit} OFFSET ${q.offset}`;
}

function readable(reader: Reader | undefined): SQL[] {
  return reader ? [readableExperimentsCondition(COLUMNS.experiment_id, reader.userId, reader.defaultReadable)] : [];
}

function predicate(p: ExperimentPredicate): SQL {
  switch (p.kind) {
    case "name":
      return compareString(COLUMNS.name, p.test);
    case "time":
      return compareNumber(COLUMNS[p.name], p.test);
    case "tag":
      return sql`EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ${p.key} AND ${compareString(sql.raw("t.value"), p.test)})`;
    case "tagPresence":
      return sql`${sql.raw(p.present ? "" : "NOT ")}EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ${p.key})`;
  }
}
