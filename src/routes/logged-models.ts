import { decode } from "../protocol/decode";
import { jsonResponse, ok } from "../protocol/json";
import * as msg from "../protocol/logged-models";
import * as loggedModels from "../services/logged-models";
import { fileResponse } from "./artifact-responses";
import type { AppContext, Route } from "./route";
import { searchReader } from "./search-reader";

const modelId = (c: AppContext) => c.req.param("model_id") ?? "";
const model = (m: msg.LoggedModel) => jsonResponse({ model: msg.encodeLoggedModel(m) });

/** MLflow 3 logged models (§4.9); the model id travels in the path. */
export const loggedModelRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/logged-models",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => model(await loggedModels.createLoggedModel(c.var.db, await decode(c, msg.CreateLoggedModel))),
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/logged-models/search",
    // Any caller may search; results are limited to the experiments they can read.
    access: "user",
    handler: async (c) => {
      const page = await loggedModels.searchLoggedModels(c.var.db, await decode(c, msg.SearchLoggedModels), searchReader(c));
      const models = page.items.map(msg.encodeLoggedModel);
      return jsonResponse({ models: models.length ? models : undefined, next_page_token: page.nextPageToken });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/logged-models/:model_id",
    access: { experiment: "READ", from: "model_id" },
    handler: async (c) => {
      const { allow_deleted } = await decode(c, msg.GetLoggedModel);
      return model(await loggedModels.getLoggedModel(c.var.db, modelId(c), allow_deleted));
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/logged-models/:model_id",
    access: { experiment: "EDIT", from: "model_id" },
    handler: async (c) => {
      const { status } = await decode(c, msg.FinalizeLoggedModel);
      return model(await loggedModels.finalizeLoggedModel(c.var.db, modelId(c), status));
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/logged-models/:model_id",
    access: { experiment: "MANAGE", from: "model_id" },
    handler: async (c) => {
      await loggedModels.deleteLoggedModel(c.var.db, modelId(c));
      return ok();
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/logged-models/:model_id/tags",
    access: { experiment: "EDIT", from: "model_id" },
    handler: async (c) => {
      const { tags } = await decode(c, msg.SetLoggedModelTags);
      await loggedModels.setLoggedModelTags(c.var.db, modelId(c), tags);
      return ok();
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/logged-models/:model_id/tags/:tag_key{.+}",
    access: { experiment: "MANAGE", from: "model_id" },
    handler: async (c) => {
      await loggedModels.deleteLoggedModelTag(c.var.db, modelId(c), c.req.param("tag_key") ?? "");
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/logged-models/:model_id/params",
    access: { experiment: "EDIT", from: "model_id" },
    handler: async (c) => {
      const { params } = await decode(c, msg.LogLoggedModelParams);
      await loggedModels.logLoggedModelParams(c.var.db, modelId(c), params);
      return ok();
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/logged-models/:model_id/artifacts/files",
    access: { experiment: "READ", from: "model_id" },
    handler: async (c) => {
      const key = await loggedModels.loggedModelFileKey(c.var.db, modelId(c), c.req.query("artifact_file_path"));
      return fileResponse(c, c.env.ARTIFACTS, key);
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/logged-models/:model_id/artifacts/directories",
    access: { experiment: "READ", from: "model_id" },
    handler: async (c) => {
      const { artifact_directory_path } = await decode(c, msg.ListLoggedModelArtifacts);
      const listing = await loggedModels.listLoggedModelArtifacts(c.var.db, c.env.ARTIFACTS, modelId(c), artifact_directory_path);
      return jsonResponse({ root_uri: listing.rootUri, files: listing.files.length ? listing.files : undefined });
    },
  },
];
