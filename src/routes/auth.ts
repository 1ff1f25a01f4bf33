import * as grants from "../auth/grants";
import * as tokens from "../auth/tokens";
import * as users from "../auth/users";
import * as msg from "../protocol/auth";
import { decode } from "../protocol/decode";
import { jsonResponse, ok } from "../protocol/json";
import type { AppContext, Route } from "./route";


/** The caller, or (local mode, no authentication) the user the request names. */
const subject = (c: AppContext, username: string | undefined) => username ?? users.currentUser(c.get("principal")).username;

/** MLflow's basic-auth user endpoints (mlflow/server/auth/routes.py). */
const userRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/users/create",
    access: "admin",
    handler: async (c) => {
      const req = await decode(c, msg.CreateUser);
      const user = await users.createUser(c.var.db, req.username, req.password);
      return jsonResponse({ user: msg.encodeUser(user, true) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/users/get",
    access: "self",
    handler: async (c) => {
      const { username } = await decode(c, msg.Username);
      return jsonResponse({ user: msg.encodeUser(await users.getUserWithPermissions(c.var.db, username), true) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/users/current",
    access: "user",
    handler: async (c) => {
      const me = users.currentUser(c.get("principal"));
      return jsonResponse({ user: msg.encodeUser({ id: me.userId, username: me.username, isAdmin: me.isAdmin }, false) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/users/list",
    access: "admin",
    handler: async (c) => jsonResponse({ users: (await users.listUsers(c.var.db)).map((u) => msg.encodeUser(u, false)) }),
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/users/update-password",
    access: "self",
    handler: async (c) => {
      const req = await decode(c, msg.UpdateUserPassword);
      await users.updatePassword(c.var.db, c.get("principal"), req.username, req.password, req.current_password);
      return ok();
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/users/update-admin",
    access: "admin",
    handler: async (c) => {
      const req = await decode(c, msg.UpdateUserAdmin);
      await users.updateAdmin(c.var.db, req.username, req.is_admin);
      return ok();
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/users/delete",
    access: "admin",
    handler: async (c) => {
      await users.deleteUser(c.var.db, (await decode(c, msg.Username)).username);
      return ok();
    },
  },
];

const MANAGE_EXPERIMENT = { experiment: "MANAGE", from: "experiment_id" } as const;
const MANAGE_MODEL = { registeredModel: "MANAGE", from: "name" } as const;

/** Grants on experiments and registered models; managing them needs MANAGE on the resource. */
const permissionRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/permissions/create",
    access: MANAGE_EXPERIMENT,
    handler: async (c) => {
      const req = await decode(c, msg.ExperimentPermissionRequest);
      const granted = await grants.createExperimentPermission(c.var.db, req.experiment_id, req.username, req.permission);
      return jsonResponse({ experiment_permission: msg.encodeExperimentPermission(granted) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/experiments/permissions/get",
    access: MANAGE_EXPERIMENT,
    handler: async (c) => {
      const req = await decode(c, msg.ExperimentPermissionKey);
      const found = await grants.getExperimentPermission(c.var.db, req.experiment_id, req.username);
      return jsonResponse({ experiment_permission: msg.encodeExperimentPermission(found) });
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/experiments/permissions/update",
    access: MANAGE_EXPERIMENT,
    handler: async (c) => {
      const req = await decode(c, msg.ExperimentPermissionRequest);
      await grants.updateExperimentPermission(c.var.db, req.experiment_id, req.username, req.permission);
      return ok();
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/experiments/permissions/delete",
    access: MANAGE_EXPERIMENT,
    handler: async (c) => {
      const req = await decode(c, msg.ExperimentPermissionKey);
      await grants.deleteExperimentPermission(c.var.db, req.experiment_id, req.username);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/registered-models/permissions/create",
    access: MANAGE_MODEL,
    handler: async (c) => {
      const req = await decode(c, msg.RegisteredModelPermissionRequest);
      const granted = await grants.createRegisteredModelPermission(c.var.db, req.name, req.username, req.permission);
      return jsonResponse({ registered_model_permission: msg.encodeRegisteredModelPermission(granted) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/registered-models/permissions/get",
    access: MANAGE_MODEL,
    handler: async (c) => {
      const req = await decode(c, msg.RegisteredModelPermissionKey);
      const found = await grants.getRegisteredModelPermission(c.var.db, req.name, req.username);
      return jsonResponse({ registered_model_permission: msg.encodeRegisteredModelPermission(found) });
    },
  },
  {
    method: "PATCH",
    api: 2,
    path: "/mlflow/registered-models/permissions/update",
    access: MANAGE_MODEL,
    handler: async (c) => {
      const req = await decode(c, msg.RegisteredModelPermissionRequest);
      await grants.updateRegisteredModelPermission(c.var.db, req.name, req.username, req.permission);
      return ok();
    },
  },
  {
    method: "DELETE",
    api: 2,
    path: "/mlflow/registered-models/permissions/delete",
    access: MANAGE_MODEL,
    handler: async (c) => {
      const req = await decode(c, msg.RegisteredModelPermissionKey);
      await grants.deleteRegisteredModelPermission(c.var.db, req.name, req.username);
      return ok();
    },
  },
];

/** Our API tokens (not MLflow's): create shows the secret once; list never does. */
const tokenRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflare/tokens/create",
    access: "self",
    handler: async (c) => {
      const req = await decode(c, msg.CreateToken);
      const username = subject(c, req.username);
      const { token, secret } = await tokens.createToken(c.var.db, username, {
        name: req.name,
        expiresInDays: req.expires_in_days,
        readOnly: req.read_only,
      });
      return jsonResponse({ token: msg.encodeToken(token, username), secret });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflare/tokens/list",
    access: "self",
    handler: async (c) => {
      const username = subject(c, (await decode(c, msg.ListTokens)).username);
      return jsonResponse({ tokens: (await tokens.listTokens(c.var.db, username)).map((t) => msg.encodeToken(t, username)) });
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflare/tokens/revoke",
    access: "user",
    handler: async (c) => {
      await tokens.revokeToken(c.var.db, c.get("principal"), (await decode(c, msg.RevokeToken)).token_id);
      return ok();
    },
  },
];

export const authRoutes: Route[] = [...userRoutes, ...permissionRoutes, ...tokenRoutes];
