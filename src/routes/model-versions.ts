import { decode } from "../protocol/decode";
import { jsonResponse, ok } from "../protocol/json";
import * as msg from "../protocol/registry";
import * as versions from "../services/model-versions";
import { fileResponse } from "./artifact-responses";
import type { Route } from "./route";
import { searchReader } from "./search-reader";

const modelVersion = (mv: msg.ModelVersion) => jsonResponse({ model_version: msg.encodeModelVersion(mv) });

/** Model versions (§4.8), addressed by registered model name and version number. */
export const modelVersionRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/model-versions/create",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => modelVersion(await versions.createModelVersion(c.var.db, await decode(c, msg.CreateModelVersion))),
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/model-versions/get",
    access: { registeredModel: "READ", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.ModelVersionRef);
      return modelVersion(await versions.getModelVersion(c.var.db, req.name, req.version));
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/model-versions/update",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.UpdateModelVersion);
      return modelVersion(await versions.updateModelVersion(c.var.db, req.name, req.version, req.description));
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/model-versions/transition-stage",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => modelVersion(await versions.transitionModelVersionStage(c.var.db, await decode(c, msg.TransitionModelVersionStage))),
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/model-versions/delete",
    access: { registeredModel: "MANAGE", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.ModelVersionRef);
      await versions.deleteModelVersion(c.var.db, req.name, req.version);
      return ok();
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/model-versions/search",
    access: "user",
    handler: async (c) => {
      const page = await versions.searchModelVersions(c.var.db, await decode(c, msg.SearchModelVersions), searchReader(c));
      const list = page.items.map(msg.encodeModelVersion);
      return jsonResponse({ model_versions: list.length ? list : undefined, next_page_token: page.nextPageToken });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/model-versions/get-download-uri",
    access: { registeredModel: "READ", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.ModelVersionRef);
      return jsonResponse({ artifact_uri: await versions.getModelVersionDownloadUri(c.var.db, req.name, req.version) });
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/model-versions/set-tag",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.SetModelVersionTag);
      await versions.setModelVersionTag(c.var.db, req.name, req.version, req.key, req.value);
      return ok();
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/model-versions/delete-tag",
    access: { registeredModel: "MANAGE", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.DeleteModelVersionTag);
      await versions.deleteModelVersionTag(c.var.db, req.name, req.version, req.key);
      return ok();
    },
  },
  {
    method: "GET",
    api: null,
    path: "/model-versions/get-artifact",
    access: { registeredModel: "READ", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.GetModelVersionArtifact);
      return fileResponse(c, c.env.ARTIFACTS, await versions.modelVersionArtifactKey(c.var.db, req.name, req.version, req.path));
    },
  },
];
