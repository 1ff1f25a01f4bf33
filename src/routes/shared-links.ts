import { decode } from "../protocol/decode";
import * as msg from "../protocol/artifacts";
import { jsonResponse, ok } from "../protocol/json";
import * as artifacts from "../services/artifacts";
import { SHARED_PATH } from "../services/artifacts-signers";
import { checkSignedClaim, shareLink } from "../services/artifacts-share";
import { ANY_PATH, contentLength, fileResponse, pathAfter } from "./artifact-responses";
import type { AppContext, Route } from "./route";

/**
 * Shareable links (mlflare's own, beyond MLflow): a caller who may read (or write) a run's
 * artifact obtains an expiring URL that works without credentials. The same signed GET
 * URLs back `mlflow-artifacts/presigned/<path>` when R2 S3 credentials are not configured.
 */

async function share(c: AppContext, method: "GET" | "PUT"): Promise<Response> {
  const req = await decode(c, msg.ShareArtifact);
  const root = await artifacts.runArtifactRoot(c.var.db, req.run_id);
  const key = artifacts.runFileKey(root, req.path);
  if (method === "GET") await artifacts.statFile(c.env.ARTIFACTS, key);
  return jsonResponse(await shareLink(c.env, new URL(c.req.url).origin, key, method, req.expires_in));
}

export const sharedLinkRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflare/artifacts/share",
    access: { experiment: "READ", from: "run_id" },
    handler: (c) => share(c, "GET"),
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflare/artifacts/share-upload",
    access: { experiment: "EDIT", from: "run_id" },
    handler: (c) => share(c, "PUT"),
  },
  {
    // The signature is the credential: it names this key, the method and an expiry.
    method: "GET",
    api: 2,
    path: `${SHARED_PATH}${ANY_PATH}`,
    access: "public",
    handler: async (c) => {
      const key = pathAfter(c, SHARED_PATH, "file");
      await checkSignedClaim(c.env, { method: "GET", key }, c.req.query("expires"), c.req.query("sig"));
      return fileResponse(c, c.env.ARTIFACTS, key);
    },
  },
  {
    method: "PUT",
    api: 2,
    path: `${SHARED_PATH}${ANY_PATH}`,
    access: "public",
    handler: async (c) => {
      const key = pathAfter(c, SHARED_PATH, "file");
      await checkSignedClaim(c.env, { method: "PUT", key }, c.req.query("expires"), c.req.query("sig"));
      await artifacts.writeFile(c.env.ARTIFACTS, key, c.req.raw.body, contentLength(c));
      return ok();
    },
  },
];
