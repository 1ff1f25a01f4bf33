import { alreadyExists, invalidParameter, notFound } from "../protocol/errors";
import { getExperiment } from "../services/experiments";
import { modelNotFound } from "../services/registered-models";
import { isForeignKeyViolation, isUniqueViolation, type Database } from "../store/db";
import * as store from "../store/permissions";
import { PERMISSIONS, isPermission, type Permission } from "./config";
import { getUser } from "./users";

/** Explicit grants of MLflow's permission model, per experiment and per registered model. */

function validPermission(permission: string): Permission {
  if (!isPermission(permission)) {
    throw invalidParameter(`Invalid permission '${permission}'. Valid permissions are: (${PERMISSIONS.map((p) => `'${p}'`).join(", ")})`);
  }
  return permission;
}

export async function createExperimentPermission(db: Database, experimentId: string, username: string, permission: string) {
  const level = validPermission(permission);
  const [experiment, user] = await Promise.all([getExperiment(db, experimentId), getUser(db, username)]);
  try {
    await store.insertExperimentPermission(db, experiment.experimentId, user.id, level);
  } catch (err) {
    if (isUniqueViolation(err, "experiment_permissions")) {
      throw alreadyExists(`Experiment permission (experiment_id=${experimentId}, username=${username}) already exists.`);
    }
    throw err;
  }
  return { experimentId: experiment.experimentId, userId: user.id, permission: level };
}

export async function getExperimentPermission(db: Database, experimentId: string, username: string) {
  const { experimentId: id } = await getExperiment(db, experimentId);
  const found = await store.findExperimentPermission(db, id, (await getUser(db, username)).id);
  if (!found) throw experimentPermissionNotFound(experimentId, username);
  return found;
}

export async function updateExperimentPermission(db: Database, experimentId: string, username: string, permission: string) {
  const level = validPermission(permission);
  const { experimentId: id } = await getExperiment(db, experimentId);
  if (!(await store.updateExperimentPermission(db, id, (await getUser(db, username)).id, level))) {
    throw experimentPermissionNotFound(experimentId, username);
  }
}

export async function deleteExperimentPermission(db: Database, experimentId: string, username: string) {
  const { experimentId: id } = await getExperiment(db, experimentId);
  if (!(await store.deleteExperimentPermission(db, id, (await getUser(db, username)).id))) {
    throw experimentPermissionNotFound(experimentId, username);
  }
}

export async function createRegisteredModelPermission(db: Database, name: string, username: string, permission: string) {
  const level = validPermission(permission);
  const user = await getUser(db, username);
  try {
    await store.insertRegisteredModelPermission(db, name, user.id, level);
  } catch (err) {
    if (isUniqueViolation(err, "registered_model_permissions")) {
      throw alreadyExists(`Registered model permission (name=${name}, username=${username}) already exists.`);
    }
    // The grant references the model, so a missing model fails the foreign key.
    if (isForeignKeyViolation(err)) throw modelNotFound(name);
    throw err;
  }
  return { name, userId: user.id, permission: level };
}

export async function getRegisteredModelPermission(db: Database, name: string, username: string) {
  const found = await store.findRegisteredModelPermission(db, name, (await getUser(db, username)).id);
  if (!found) throw registeredModelPermissionNotFound(name, username);
  return found;
}

export async function updateRegisteredModelPermission(db: Database, name: string, username: string, permission: string) {
  const level = validPermission(permission);
  if (!(await store.updateRegisteredModelPermission(db, name, (await getUser(db, username)).id, level))) {
    throw registeredModelPermissionNotFound(name, username);
  }
}

export async function deleteRegisteredModelPermission(db: Database, name: string, username: string) {
  if (!(await store.deleteRegisteredModelPermission(db, name, (await getUser(db, username)).id))) {
    throw registeredModelPermissionNotFound(name, username);
  }
}

const experimentPermissionNotFound = (experimentId: string, username: string) =>
  notFound(`Experiment permission with experiment_id=${experimentId} and username=${username} not found`);

const registeredModelPermissionNotFound = (name: string, username: string) =>
  notFound(`Registered model permission with name=${name} and username=${username} not found`);
