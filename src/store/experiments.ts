import { and, eq, sql } from "drizzle-orm";
import type { Experiment } from "../protocol/experiments";
import { batchable, type Database } from "./db";
import { experiments, experimentTags, runs } from "./schema/index";

/** Reads an experiment and its tags in one round trip. */
export async function findExperiment(db: Database, where: { id: number } | { name: string }): Promise<Experiment | undefined> {
  const cond = "id" in where ? eq(experiments.experimentId, where.id) : eq(experiments.name, where.name);
  const [rows, tags] = await db.batch([
    db.select().from(experiments).where(cond),
    db
      .select({ key: experimentTags.key, value: experimentTags.value })
      .from(experimentTags)
      .innerJoin(experiments, eq(experiments.experimentId, experimentTags.experimentId))
      .where(cond)
      .orderBy(sql`${experimentTags}.rowid`),
  ]);
  return rows[0] && { ...rows[0], tags };
}

/** Inserts an experiment (its artifact location derived from the new id) and its tags atomically. */
export async function insertExperiment(
  db: Database,
  e: { name: string; artifactLocation?: string; now: number; tags: { key: string; value: string }[] },
): Promise<number> {
  const [inserted] = await db.batch([
    db
      .insert(experiments)
      .values({
        name: e.name,
        artifactLocation: e.artifactLocation ?? "",
        creationTime: e.now,
        lastUpdateTime: e.now,
      })
      .returning({ id: experiments.experimentId }),
    batchable(db, db.run(sql`UPDATE experiments SET artifact_location = 'mlflow-artifacts:/' || experiment_id
                WHERE name = ${e.name} AND artifact_location = ''`)),
    batchable(db, db.run(sql`INSERT INTO experiment_tags (experiment_id, key, value)
               SELECT e.experiment_id, j.value ->> 'key', j.value ->> 'value'
               FROM experiments e, json_each(${JSON.stringify(e.tags)}) j WHERE e.name = ${e.name}`)),
  ]);
  return inserted[0].id;
}

export async function renameExperiment(db: Database, id: number, name: string, now: number) {
  await db.update(experiments).set({ name, lastUpdateTime: now }).where(eq(experiments.experimentId, id));
}

/** Sets the experiment's lifecycle and that of its runs in one atomic batch. */
export async function setExperimentLifecycle(db: Database, id: number, stage: "active" | "deleted", now: number) {
  const from = stage === "deleted" ? "active" : "deleted";
  await db.batch([
    db.update(experiments).set({ lifecycleStage: stage, lastUpdateTime: now }).where(eq(experiments.experimentId, id)),
    db
      .update(runs)
      .set({ lifecycleStage: stage, deletedTime: stage === "deleted" ? now : null })
      .where(and(eq(runs.experimentId, id), eq(runs.lifecycleStage, from))),
  ]);
}

export async function upsertExperimentTag(db: Database, id: number, key: string, value: string) {
  await db
    .insert(experimentTags)
    .values({ experimentId: id, key, value })
    .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value } });
}

/** Deletes a tag; returns whether it existed. */
export async function deleteExperimentTag(db: Database, id: number, key: string): Promise<boolean> {
  const deleted = await db
    .delete(experimentTags)
    .where(and(eq(experimentTags.experimentId, id), eq(experimentTags.key, key)))
    .returning({ key: experimentTags.key });
  return deleted.length > 0;
}
