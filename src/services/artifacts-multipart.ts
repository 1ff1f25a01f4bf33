import { invalidParameter, MlflowError, notFound } from "../protocol/errors";
import * as blobs from "../store/blobs";
import { basename, isUnsafe, joinKey } from "./artifact-path";
import type { TransferSigner } from "./artifacts-signers";

/** S3's (and R2's) limit on parts per upload. */
export const MAX_PARTS = 10_000;

/** How long part URLs stay valid: long enough for a slow multi-GB upload. */
const PART_URL_TTL_SECONDS = 24 * 3600;

/** The prefix the stock client matches to fall back to a single PUT (mlflow-api.md §10.15). */
const UNSUPPORTED_UPLOAD = "Multipart upload is not supported for the current artifact repository";
const UNSUPPORTED_DOWNLOAD = "Multipart download is not supported for the current artifact repository";

export interface Credential {
  url: string;
  part_number: number;
  headers: Record<string, string>;
}

/**
 * The object key of a multipart upload: the directory from the URL plus the basename of
 * the client's local file path (which may be a Windows path), as MLflow's repositories do.
 *
 * @example
 * uploadKey("1/abc/artifacts/big", "/home/alice/big12.bin") // "1/abc/artifacts/big/big12.bin"
 */
export function uploadKey(dirKey: string, localPath: string): string {
  const name = basename(localPath.replace(/\\/g, "/"));
  if (name === "" || isUnsafe(name)) throw invalidParameter("Invalid path");
  return joinKey(dirKey, name);
}

export const unsupportedUpload = () => new MlflowError("NOT_IMPLEMENTED", UNSUPPORTED_UPLOAD);
export const unsupportedDownload = () => new MlflowError("NOT_IMPLEMENTED", UNSUPPORTED_DOWNLOAD);

/**
 * Starts an R2 multipart upload and signs one part URL per part.
 *
 * @example
 * const { upload_id, credentials } = await createUpload(bucket, signer, "1/abc/artifacts/big/f.bin", 3);
 */
export async function createUpload(
  bucket: R2Bucket,
  signer: TransferSigner,
  key: string,
  numParts: number,
): Promise<{ upload_id: string; credentials: Credential[] }> {
  if (!Number.isInteger(numParts) || numParts < 1 || numParts > MAX_PARTS) {
    throw invalidParameter(`Invalid value ${numParts} for parameter 'num_parts' supplied: it must be between 1 and ${MAX_PARTS}.`);
  }
  const uploadId = await blobs.createMultipartUpload(bucket, key);
  const credentials = await Promise.all(
    Array.from({ length: numParts }, async (_, i) => {
      const { url, headers } = await signer.partUpload(key, uploadId, i + 1, PART_URL_TTL_SECONDS);
      return { url, part_number: i + 1, headers };
    }),
  );
  return { upload_id: uploadId, credentials };
}

/**
 * Completes an upload from the parts the client reports. R2 checks every part number and
 * ETag; a wrong ETag or a part never uploaded is the client's mistake (400), not ours.
 */
export async function completeUpload(
  bucket: R2Bucket,
  key: string,
  uploadId: string,
  parts: { part_number?: number; etag?: string }[],
): Promise<void> {
  if (parts.length === 0) throw invalidParameter("Missing value for required parameter 'parts'.");
  const uploaded = parts.map((p) => {
    if (p.part_number === undefined || p.part_number < 1 || p.part_number > MAX_PARTS || !p.etag) {
      throw invalidParameter(`Invalid part ${JSON.stringify(p)}: each part needs a part_number in 1..${MAX_PARTS} and an etag.`);
    }
    // S3 quotes ETags in headers; R2's binding wants them bare.
    return { partNumber: p.part_number, etag: p.etag.replace(/^"|"$/g, "") };
  });
  try {
    await blobs.completeMultipartUpload(bucket, key, uploadId, uploaded);
  } catch (err) {
    throw uploadError(err, uploadId, "complete");
  }
}

/**
 * Streams one part (of a declared length) into its upload; returns the part's ETag, which
 * the client reports back on completion.
 */
export async function uploadPart(bucket: R2Bucket, key: string, uploadId: string, partNumber: number, body: ReadableStream<Uint8Array>, length: number): Promise<string> {
  try {
    return await blobs.uploadPart(bucket, key, uploadId, partNumber, body, length);
  } catch (err) {
    throw uploadError(err, uploadId, "upload a part of");
  }
}

export async function abortUpload(bucket: R2Bucket, key: string, uploadId: string): Promise<void> {
  try {
    await blobs.abortMultipartUpload(bucket, key, uploadId);
  } catch (err) {
    throw uploadError(err, uploadId, "abort");
  }
}

/**
 * R2 reports multipart mistakes as thrown errors with numeric codes: 10024 (no such
 * upload), 10025 (a listed part was not uploaded or its ETag differs), 10011 (a part too
 * small). The binding answers an upload id it never issued for this key with 10001
 * (internal error), so that too means "no such upload" here; anything else stays a 5xx.
 */
function uploadError(err: unknown, uploadId: string, action: string): unknown {
  const detail = err instanceof Error ? err.message : String(err);
  const code = detail.match(/\((\d{5})\)\s*$/)?.[1];
  if (code === "10024" || code === "10001") return notFound(`No multipart upload '${uploadId}' for this path.`);
  if (code === "10025" || code === "10011") return invalidParameter(`Cannot ${action} multipart upload '${uploadId}': ${detail}`);
  return err;
}
