import { sql } from "drizzle-orm";
import { DATASET_CONTEXT_TAG } from "../protocol/runs";
import { batchable, type Database } from "./db";
import { inJson, nextPosition } from "./sql";

export interface DatasetInputWrite {
  dataset: { name: string; digest: string; sourceType: string; source: string; schema?: string; profile?: string };
  tags: { key: string; value: string }[];
}

/**
 * Records a run's inputs in one atomic batch. Datasets are shared per experiment and
 * deduplicated by (name, digest); an input already recorded for the run is left as is.
 */
export async function insertRunInputs(
  db: Database,
  run: { runId: string; experimentId: number },
  datasets: DatasetInputWrite[],
  modelIds: string[],
) {
  const rows = datasets.map((d) => ({
    datasetId: crypto.randomUUID().replaceAll("-", ""),
    inputId: crypto.randomUUID().replaceAll("-", ""),
    ...d.dataset,
  }));
  const tagRows = datasets.flatMap((d, i) => d.tags.map((t) => ({ datasetName: d.dataset.name, datasetDigest: d.dataset.digest, index: i, ...t })));
  const datasetsJson = JSON.stringify(rows);
  const q = (s: ReturnType<typeof sql>) => batchable(db, db.run(s));
  await db.batch([
    q(sql`INSERT OR IGNORE INTO datasets (dataset_id, experiment_id, name, digest, source_type, source, schema, profile)
          SELECT j.value ->> 'datasetId', ${run.experimentId}, j.value ->> 'name', j.value ->> 'digest', j.value ->> 'sourceType',
                 j.value ->> 'source', j.value ->> 'schema', j.value ->> 'profile'
          FROM json_each(${datasetsJson}) j`),
    q(sql`INSERT OR IGNORE INTO run_inputs (input_id, run_id, source_type, source_id, position)
          SELECT j.value ->> 'inputId', ${run.runId}, 'DATASET', d.dataset_id, ${nextPosition("run_inputs", run.runId)} + j.key
          FROM json_each(${datasetsJson}) j
          JOIN datasets d ON d.experiment_id = ${run.experimentId} AND d.name = j.value ->> 'name' AND d.digest = j.value ->> 'digest'`),
    q(sql`INSERT OR IGNORE INTO input_tags (input_id, name, value)
          SELECT ri.input_id, t.value ->> 'key', t.value ->> 'value'
          FROM json_each(${JSON.stringify(tagRows)}) t
          JOIN json_each(${datasetsJson}) j ON j.key = t.value ->> 'index'
          JOIN run_inputs ri ON ri.run_id = ${run.runId} AND ri.source_type = 'DATASET' AND ri.input_id = j.value ->> 'inputId'`),
    q(sql`INSERT OR IGNORE INTO run_inputs (input_id, run_id, source_type, source_id, position)
          SELECT lower(hex(randomblob(16))), ${run.runId}, 'MODEL', j.value, ${nextPosition("run_inputs", run.runId)} + j.key
          FROM json_each(${JSON.stringify(modelIds)}) j`),
  ]);
}

/** Links logged models to the run as its outputs (`runs/outputs`). */
export async function insertRunOutputs(db: Database, runId: string, outputs: { modelId: string; step: number }[]) {
  await db.run(sql`INSERT INTO run_outputs (run_id, model_id, step)
    SELECT ${runId}, j.value ->> '$[0]', j.value ->> '$[1]' FROM json_each(${JSON.stringify(outputs.map((o) => [o.modelId, o.step]))}) j
    WHERE true ON CONFLICT (run_id, model_id) DO UPDATE SET step = excluded.step`);
}

/** Appends one model's metadata to the run's `mlflow.log-model.history` tag (a JSON list). */
export async function appendLoggedModelHistory(db: Database, runId: string, modelJson: string) {
  await db.run(sql`INSERT INTO run_tags (run_id, key, value, position)
    VALUES (${runId}, 'mlflow.log-model.history', json_array(json(${modelJson})), ${nextPosition("run_tags", runId)})
    ON CONFLICT (run_id, key) DO UPDATE SET value = json_insert(value, '$[#]', json(${modelJson}))`);
}

/** Distinct (experiment, dataset, context) triples for the UI's dataset filter. */
export async function searchDatasetSummaries(db: Database, experimentIds: number[]) {
  return db.all<{ experiment_id: number; name: string; digest: string; context: string | null }>(sql`
    SELECT DISTINCT d.experiment_id, d.name, d.digest, t.value AS context
    FROM datasets d
    JOIN run_inputs ri ON ri.source_type = 'DATASET' AND ri.source_id = d.dataset_id
    LEFT JOIN input_tags t ON t.input_id = ri.input_id AND t.name = ${DATASET_CONTEXT_TAG}
    WHERE ${inJson(sql.raw("d.experiment_id"), experimentIds)}
    ORDER BY d.experiment_id, d.name, d.digest, t.value LIMIT 1000`);
}
