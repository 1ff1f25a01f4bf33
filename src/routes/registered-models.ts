import { decode } from "../protocol/decode";
import { jsonResponse, ok } from "../protocol/json";
import * as msg from "../protocol/registry";
import * as modelVersions from "../services/model-versions";
import * as models from "../services/registered-models";
import type { Route } from "./route";
import { searchReader } from "./search-reader";

const registeredModel = (rm: msg.RegisteredModel) => jsonResponse({ registered_model: msg.encodeRegisteredModel(rm) });
const versions = (list: msg.ModelVersion[]) => jsonResponse({ model_versions: list.length ? list.map(msg.encodeModelVersion) : undefined });

const getLatestVersions: Route["handler"] = async (c) => {
  const req = await decode(c, msg.GetLatestVersions);
  return versions(await models.getLatestVersions(c.var.db, req.name, req.stages));
};

/** Registered models (§4.8): CRUD, search, tags, aliases; deletes carry JSON bodies. */
export const registeredModelRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/registered-models/create",
    access: { create: "registeredModel" },
    handler: async (c) => registeredModel(await models.createRegisteredModel(c.var.db, await decode(c, msg.CreateRegisteredModel))),
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/registered-models/get",
    access: { registeredModel: "READ", from: "name" },
    handler: async (c) => registeredModel(await models.getRegisteredModel(c.var.db, (await decode(c, msg.RegisteredModelName)).name)),
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/registered-models/rename",
    access: { registeredModel: "MANAGE", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.RenameRegisteredModel);
      return registeredModel(await models.renameRegisteredModel(c.var.db, req.name, req.new_name));
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/registered-models/update",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.UpdateRegisteredModel);
      return registeredModel(await models.updateRegisteredModel(c.var.db, req.name, req.description));
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/registered-models/delete",
    access: { registeredModel: "MANAGE", from: "name" },
    handler: async (c) => {
      await models.deleteRegisteredModel(c.var.db, (await decode(c, msg.RegisteredModelName)).name);
      return ok();
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/registered-models/search",
    access: "user",
    handler: async (c) => {
      const page = await models.searchRegisteredModels(c.var.db, await decode(c, msg.SearchRegisteredModels), searchReader(c));
      const list = page.items.map(msg.encodeRegisteredModel);
      return jsonResponse({ registered_models: list.length ? list : undefined, next_page_token: page.nextPageToken });
    },
  },
  // The client POSTs first and falls back to GET only on ENDPOINT_NOT_FOUND; both are served.
  { method: "POST", api: 2, path: "/mlflow/registered-models/get-latest-versions", access: { registeredModel: "READ", from: "name" }, handler: getLatestVersions },
  { method: "GET", api: 2, path: "/mlflow/registered-models/get-latest-versions", access: { registeredModel: "READ", from: "name" }, handler: getLatestVersions },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/registered-models/set-tag",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.SetRegisteredModelTag);
      await models.setRegisteredModelTag(c.var.db, req.name, req.key, req.value);
      return ok();
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/registered-models/delete-tag",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.DeleteRegisteredModelTag);
      await models.deleteRegisteredModelTag(c.var.db, req.name, req.key);
      return ok();
    },
  },
  // One path, three methods: set (POST), get (GET) and delete (DELETE) an alias.
  {
    method: "POST",
    api: 2,
    path: "/mlflow/registered-models/alias",
    access: { registeredModel: "EDIT", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.SetRegisteredModelAlias);
      await models.setRegisteredModelAlias(c.var.db, req.name, req.alias, req.version);
      return ok();
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/registered-models/alias",
    access: { registeredModel: "READ", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.RegisteredModelAlias);
      const mv = await modelVersions.getModelVersionByAlias(c.var.db, req.name, req.alias);
      return jsonResponse({ model_version: msg.encodeModelVersion(mv) });
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/registered-models/alias",
    access: { registeredModel: "MANAGE", from: "name" },
    handler: async (c) => {
      const req = await decode(c, msg.RegisteredModelAlias);
      await models.deleteRegisteredModelAlias(c.var.db, req.name, req.alias);
      return ok();
    },
  },
];
