import { bool, i64, str } from "./fields";
import { compact } from "./json";
import { message } from "./message";

/** Requests of MLflow's basic-auth REST API (mlflow/server/auth) and of our API tokens. */
export const CreateUser = message({ username: str(), password: str() }, ["username", "password"]);
export const Username = message({ username: str() }, ["username"]);
export const UpdateUserPassword = message({ username: str(), password: str(), current_password: str() }, ["username", "password"]);
export const UpdateUserAdmin = message({ username: str(), is_admin: bool() }, ["username", "is_admin"]);
export const ExperimentPermissionRequest = message({ experiment_id: str(), username: str(), permission: str() }, ["experiment_id", "username", "permission"]);
export const ExperimentPermissionKey = message({ experiment_id: str(), username: str() }, ["experiment_id", "username"]);
export const RegisteredModelPermissionRequest = message({ name: str(), username: str(), permission: str() }, ["name", "username", "permission"]);
export const RegisteredModelPermissionKey = message({ name: str(), username: str() }, ["name", "username"]);
export const CreateToken = message({ username: str(), name: str(), expires_in_days: i64(), read_only: bool() });
export const ListTokens = message({ username: str() });
export const RevokeToken = message({ token_id: str() }, ["token_id"]);

interface UserView {
  id: number;
  username: string;
  isAdmin: boolean;
  experimentPermissions?: { experimentId: number; userId: number; permission: string }[];
  registeredModelPermissions?: { name: string; userId: number; permission: string }[];
}

export const encodeExperimentPermission = (p: { experimentId: number; userId: number; permission: string }) => ({
  experiment_id: String(p.experimentId),
  user_id: p.userId,
  permission: p.permission,
});

export const encodeRegisteredModelPermission = (p: { name: string; userId: number; permission: string }) => ({
  name: p.name,
  user_id: p.userId,
  permission: p.permission,
});

/**
 * A user as MLflow's auth client reads it: its `User.from_json` indexes all three
 * permission lists, so they are emitted even when empty.
 */
export function encodeUser(u: UserView, withPermissions: boolean) {
  const base = { id: u.id, username: u.username, is_admin: u.isAdmin };
  if (!withPermissions) return base;
  return {
    ...base,
    experiment_permissions: (u.experimentPermissions ?? []).map(encodeExperimentPermission),
    registered_model_permissions: (u.registeredModelPermissions ?? []).map(encodeRegisteredModelPermission),
    scorer_permissions: [],
  };
}

interface TokenView {
  tokenId: string;
  name: string;
  readOnly: boolean;
  creationTime: number;
  expiryTime: number | null;
  revokedTime: number | null;
}

export const encodeToken = (t: TokenView, username: string) =>
  compact({
    token_id: t.tokenId,
    username,
    name: t.name,
    read_only: t.readOnly,
    creation_time: t.creationTime,
    expiry_time: t.expiryTime ?? undefined,
    revoked_time: t.revokedTime ?? undefined,
  });
