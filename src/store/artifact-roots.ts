import { eq } from "drizzle-orm";
import type { Database } from "./db";
import { runs } from "./schema/index";

/**
 * The artifact root of a run, read on its own so the artifact routes need one small query.
 *
 * @example
 * const root = await findRunArtifactUri(db, "5f0c…"); // "mlflow-artifacts:/1/5f0c…/artifacts"
 */
export async function findRunArtifactUri(db: Database, runId: string): Promise<string | undefined> {
  const rows = await db.select({ artifactUri: runs.artifactUri }).from(runs).where(eq(runs.runId, runId)).limit(1);
  return rows[0]?.artifactUri;
}
