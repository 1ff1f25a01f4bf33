import { decode } from "../protocol/decode";
import * as msg from "../protocol/artifacts";
import { invalidParameter } from "../protocol/errors";
import { jsonResponse, ok } from "../protocol/json";
import { statFile } from "../services/artifacts";
import * as mpu from "../services/artifacts-multipart";
import { PART_PATH, partScope, transferSigner } from "../services/artifacts-signers";
import { checkSignedClaim } from "../services/artifacts-share";
import { ANY_PATH, contentLength, pathAfter } from "./artifact-responses";
import type { AppContext, Route } from "./route";

/**
 * Multipart upload and presigned download as the stock client drives them with
 * MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD / _DOWNLOAD (mlflow-api.md §4.7), plus the
 * Worker's own signed part-upload URL.
 */

const CREATE = "/mlflow-artifacts/mpu/create/";
const COMPLETE = "/mlflow-artifacts/mpu/complete/";
const ABORT = "/mlflow-artifacts/mpu/abort/";
const PRESIGNED = "/mlflow-artifacts/presigned/";

/** How long a presigned download URL lives; the client asks again when a chunk fails. */
const DOWNLOAD_URL_TTL_SECONDS = 3600;

const origin = (c: AppContext) => new URL(c.req.url).origin;

export const multipartRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: `${CREATE}${ANY_PATH}`,
    access: { experiment: "EDIT", from: "artifact_path" },
    handler: async (c) => {
      const dir = pathAfter(c, CREATE, "dir");
      const req = await decode(c, msg.CreateMultipartUpload);
      const signer = transferSigner(c.env, origin(c));
      if (!signer) throw mpu.unsupportedUpload();
      const key = mpu.uploadKey(dir, req.path);
      return jsonResponse(await mpu.createUpload(c.env.ARTIFACTS, signer, key, req.num_parts ?? 1));
    },
  },
  {
    method: "POST",
    api: 2,
    path: `${COMPLETE}${ANY_PATH}`,
    access: { experiment: "EDIT", from: "artifact_path" },
    handler: async (c) => {
      const dir = pathAfter(c, COMPLETE, "dir");
      const req = await decode(c, msg.CompleteMultipartUpload);
      await mpu.completeUpload(c.env.ARTIFACTS, mpu.uploadKey(dir, req.path), req.upload_id, req.parts);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: `${ABORT}${ANY_PATH}`,
    access: { experiment: "EDIT", from: "artifact_path" },
    handler: async (c) => {
      const dir = pathAfter(c, ABORT, "dir");
      const req = await decode(c, msg.AbortMultipartUpload);
      await mpu.abortUpload(c.env.ARTIFACTS, mpu.uploadKey(dir, req.path), req.upload_id);
      return ok();
    },
  },
  {
    method: "GET",
    api: 2,
    path: `${PRESIGNED}${ANY_PATH}`,
    access: { experiment: "READ", from: "artifact_path" },
    handler: async (c) => {
      const key = pathAfter(c, PRESIGNED, "file");
      const signer = transferSigner(c.env, origin(c));
      if (!signer) throw mpu.unsupportedDownload();
      const stat = await statFile(c.env.ARTIFACTS, key);
      const { url, headers } = await signer.download(key, DOWNLOAD_URL_TTL_SECONDS);
      return jsonResponse({ url, headers, file_size: stat.size });
    },
  },
  {
    // The signature is the credential: it names this key, upload, part and an expiry.
    method: "PUT",
    api: 2,
    path: `${PART_PATH}${ANY_PATH}`,
    access: "public",
    handler: async (c) => {
      const key = pathAfter(c, PART_PATH, "file");
      const uploadId = c.req.query("upload_id") ?? "";
      const partNumber = Number(c.req.query("part_number"));
      if (!uploadId || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > mpu.MAX_PARTS) {
        throw invalidParameter("A part URL needs 'upload_id' and a 'part_number' in 1..10000.");
      }
      await checkSignedClaim(c.env, { method: "PUT", key, scope: partScope(uploadId, partNumber) }, c.req.query("expires"), c.req.query("sig"));
      const length = contentLength(c);
      if (length === undefined || length === 0 || !c.req.raw.body) {
        throw invalidParameter("A part upload needs a non-empty body with a Content-Length header.");
      }
      const etag = await mpu.uploadPart(c.env.ARTIFACTS, key, uploadId, partNumber, c.req.raw.body, length);
      return new Response(null, { status: 200, headers: { ETag: `"${etag}"` } });
    },
  },
];
