import { decode } from "../protocol/decode";
import * as msg from "../protocol/artifacts";
import { invalidParameter } from "../protocol/errors";
import { jsonResponse, ok } from "../protocol/json";
import { artifactPath, joinKey } from "../services/artifact-path";
import * as artifacts from "../services/artifacts";
import { runIdOf } from "../services/runs";
import { ANY_PATH, contentLength, fileResponse, pathAfter } from "./artifact-responses";
import type { AppContext, Route } from "./route";

/**
 * The mlflow-artifacts proxy (mlflow-api.md §4.7) and the run-level artifact routes
 * (§4.6). Proxy paths are R2 keys: the key of `mlflow-artifacts:/X` is `X`.
 */

const ARTIFACTS = "/mlflow-artifacts/artifacts/";

/** `{files: [...]}`, omitted when empty, as MLflow's JSON omits empty repeated fields. */
const filesBody = (files: artifacts.FileInfo[]) => (files.length ? { files } : {});

const runRoot = (c: AppContext, req: { run_id?: string; run_uuid?: string }) => artifacts.runArtifactRoot(c.var.db, runIdOf(req));

export const artifactRoutes: Route[] = [
  {
    method: "PUT",
    api: 2,
    path: `${ARTIFACTS}${ANY_PATH}`,
    access: { experiment: "EDIT", from: "artifact_path" },
    handler: async (c) => {
      const key = pathAfter(c, ARTIFACTS, "file");
      await artifacts.writeFile(c.env.ARTIFACTS, key, c.req.raw.body, contentLength(c));
      return ok();
    },
  },
  {
    method: "GET",
    api: 2,
    path: `${ARTIFACTS}${ANY_PATH}`,
    access: { experiment: "READ", from: "artifact_path" },
    handler: (c) => fileResponse(c, c.env.ARTIFACTS, pathAfter(c, ARTIFACTS, "file")),
  },
  {
    method: "DELETE",
    api: 2,
    path: `${ARTIFACTS}${ANY_PATH}`,
    access: { experiment: "MANAGE", from: "artifact_path" },
    handler: async (c) => {
      await artifacts.deleteArtifacts(c.env.ARTIFACTS, pathAfter(c, ARTIFACTS, "dir") || invalidRoot());
      return ok();
    },
  },
  {
    // `artifact_path` is the `path` query value here; without one this lists the root.
    method: "GET",
    api: 2,
    path: "/mlflow-artifacts/artifacts",
    access: { experiment: "READ", from: "artifact_path" },
    handler: async (c) => {
      const { path } = await decode(c, msg.ListProxyArtifacts);
      const dir = artifactPath(path ?? "", { encoded: false, kind: "dir" });
      const files = await artifacts.listArtifacts(c.env.ARTIFACTS, dir);
      return jsonResponse(filesBody(files));
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/artifacts/list",
    access: { experiment: "READ", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, msg.ListRunArtifacts);
      const root = await runRoot(c, req);
      const rel = artifactPath(req.path ?? "", { encoded: false, kind: "dir" });
      const files = await artifacts.listArtifacts(c.env.ARTIFACTS, joinKey(root.key, rel), rel ? `${rel}/` : "");
      return jsonResponse({ root_uri: root.uri, ...filesBody(files) });
    },
  },
  {
    method: "GET",
    api: null,
    path: "/get-artifact",
    access: { experiment: "READ", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, msg.GetRunArtifact);
      const root = await runRoot(c, req);
      return fileResponse(c, c.env.ARTIFACTS, artifacts.runFileKey(root, req.path));
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/artifacts/presigned-upload-url",
    access: { experiment: "EDIT", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, msg.GetPresignedUploadUrl);
      const root = await artifacts.runArtifactRoot(c.var.db, req.run_id);
      // MLflow checks the run and the path before refusing; so do we.
      artifacts.runFileKey(root, req.path);
      // As MLflow: every run root here is proxied, and proxied roots take uploads through
      // the proxy (or mlflare's shared upload links), not through this endpoint.
      throw invalidParameter(
        "Presigned upload is not supported for runs with proxied artifact storage (artifact URI scheme: mlflow-artifacts). " +
          "This endpoint requires a run whose artifact root is a cloud storage location.",
      );
    },
  },
];

/** Deleting the whole bucket through an empty path is never what a client means. */
function invalidRoot(): never {
  throw invalidParameter("Invalid path");
}

// `/model-versions/get-artifact` (§4.6) lives with the registry (routes/model-versions.ts),
// serving the version's files through `fileResponse` like `/get-artifact` here.
