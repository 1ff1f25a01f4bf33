import { invalidParameter, notFound } from "../protocol/errors";
import type { Assessment, AssessmentIn } from "../protocol/traces";
import type { Database } from "../store/db";
import * as store from "../store/traces";

/** Fields the server owns; everything else of the client's assessment is kept as sent. */
const SERVER_FIELDS = ["assessment_id", "trace_id", "create_time", "last_update_time"] as const;
const VALUE_KINDS = ["feedback", "expectation", "issue"] as const;
/** FieldMask paths arrive in lowerCamelCase; MLflow accepts these. */
const MASK_PATHS: Record<string, keyof AssessmentIn> = {
  assessmentName: "assessment_name",
  assessment_name: "assessment_name",
  expectation: "expectation",
  feedback: "feedback",
  rationale: "rationale",
  metadata: "metadata",
  valid: "valid",
};

/**
 * A new assessment of a trace from the client's fields: server id (`a-` + 32 hex),
 * times, and `valid` defaulting to true.
 *
 * @example
 * newAssessment("tr-1", { assessment_name: "correct", feedback: { value: true }, source: { source_type: "HUMAN", source_id: "bob" } })
 */
export function newAssessment(traceId: string, input: AssessmentIn, now = Date.now()): Assessment {
  if (!input.assessment_name) throw invalidParameter("Missing value for required parameter 'assessment.assessment_name'.");
  const kinds = VALUE_KINDS.filter((k) => input[k] !== undefined);
  if (kinds.length !== 1) throw invalidParameter("An assessment needs exactly one of 'feedback', 'expectation' or 'issue'.");
  if (input.source && (!input.source.source_type || !input.source.source_id)) {
    throw invalidParameter("An assessment source needs 'source_type' and 'source_id'.");
  }
  const content: Record<string, unknown> = { ...input, valid: input.valid ?? true };
  for (const f of SERVER_FIELDS) delete content[f];
  return {
    assessmentId: input.assessment_id || `a-${crypto.randomUUID().replaceAll("-", "")}`,
    traceId,
    content,
    createTime: now,
    lastUpdateTime: now,
  };
}

/** Creates an assessment; one that `overrides` another makes that one invalid. */
export async function createAssessment(db: Database, traceId: string, input: AssessmentIn): Promise<Assessment> {
  const assessment = newAssessment(traceId, { ...input, assessment_id: undefined });
  if (!(await store.traceExists(db, traceId))) throw notFound(`Trace with ID '${traceId}' not found.`);
  if (input.overrides) await getAssessment(db, traceId, input.overrides);
  await store.saveAssessment(db, assessment, input.overrides);
  return assessment;
}

export async function getAssessment(db: Database, traceId: string, assessmentId: string): Promise<Assessment> {
  const found = await store.findAssessment(db, traceId, assessmentId);
  if (found) return found;
  if (!(await store.traceExists(db, traceId))) throw notFound(`Trace with request_id '${traceId}' not found`);
  throw notFound(`Assessment with ID '${assessmentId}' not found for trace '${traceId}'`);
}

/**
 * Applies the masked fields. The value kind never changes (a feedback stays a
 * feedback); metadata is merged, the new keys winning.
 */
export async function updateAssessment(
  db: Database,
  traceId: string,
  assessmentId: string,
  input: AssessmentIn,
  updateMask: string,
): Promise<Assessment> {
  const existing = await getAssessment(db, traceId, assessmentId);
  const content = { ...existing.content };
  for (const raw of updateMask.split(",").map((p) => p.trim()).filter(Boolean)) {
    const field = MASK_PATHS[raw];
    if (!field) throw invalidParameter(`Invalid update_mask path '${raw}'.`);
    if ((field === "feedback" || field === "expectation") && content[field] === undefined) {
      throw invalidParameter(`Cannot update the ${field} value of an assessment that is not a ${field}.`);
    }
    if (field === "metadata") content.metadata = { ...(content.metadata as object | undefined), ...input.metadata };
    else if (input[field] === undefined) delete content[field];
    else content[field] = input[field];
  }
  if (!content.assessment_name) throw invalidParameter("An assessment's name cannot be empty.");
  const updated = { ...existing, content, lastUpdateTime: Date.now() };
  await store.saveAssessment(db, updated);
  return updated;
}

/** Deletes an assessment (idempotent, as in MLflow); the one it overrode becomes valid again. */
export async function deleteAssessment(db: Database, traceId: string, assessmentId: string) {
  const found = await store.findAssessment(db, traceId, assessmentId);
  if (found) return store.deleteAssessment(db, found);
  if (!(await store.traceExists(db, traceId))) throw notFound(`Trace with ID '${traceId}' not found.`);
}
