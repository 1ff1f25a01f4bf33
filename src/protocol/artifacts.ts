import { i64, list, str } from "./fields";
import { message } from "./message";
import { z } from "zod";

/** Request messages of the artifact APIs (mlflow_artifacts.proto, service.proto, mlflare's own). */

export const ListProxyArtifacts = message({ path: str() });

/** Run-level requests name the run as `run_id`, or `run_uuid` from older clients. */
export const ListRunArtifacts = message({ run_id: str(), run_uuid: str(), path: str(), page_token: str() });
export const GetRunArtifact = message({ run_id: str(), run_uuid: str(), path: str() });
export const GetPresignedUploadUrl = message({ run_id: str(), path: str(), expiration: i64() }, ["run_id", "path"]);

export const CreateMultipartUpload = message({ path: str(), num_parts: i64() }, ["path"]);
export const CompleteMultipartUpload = message(
  { path: str(), upload_id: str(), parts: list(z.object({ part_number: i64().optional(), etag: str().optional(), url: str().optional() })) },
  ["path", "upload_id", "parts"],
);
export const AbortMultipartUpload = message({ path: str(), upload_id: str() }, ["path", "upload_id"]);

/** mlflare's shared links: `POST /api/2.0/mlflare/artifacts/share` (GET link) and `…/share-upload` (PUT link). */
export const ShareArtifact = message({ run_id: str(), path: str(), expires_in: i64() }, ["run_id", "path"]);
