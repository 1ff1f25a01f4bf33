import { bool, i64, keyValue, list, str } from "./fields";
import { compact } from "./json";
import { message } from "./message";

/** Request messages of MLflow's model registry service (model_registry.proto). */
export const CreateRegisteredModel = message(
  { name: str(), tags: list(keyValue()), description: str(), deployment_job_id: str() },
  ["name"],
);
export const RegisteredModelName = message({ name: str() }, ["name"]);
export const RenameRegisteredModel = message({ name: str(), new_name: str() }, ["name", "new_name"]);
export const UpdateRegisteredModel = message({ name: str(), description: str(), deployment_job_id: str() }, ["name"]);
export const SearchRegisteredModels = message({ filter: str(), max_results: i64(), order_by: list(str()), page_token: str() });
export const GetLatestVersions = message({ name: str(), stages: list(str()) }, ["name"]);
export const SetRegisteredModelTag = message({ name: str(), key: str(), value: str() }, ["name", "key"]);
export const DeleteRegisteredModelTag = message({ name: str(), key: str() }, ["name", "key"]);
export const SetRegisteredModelAlias = message({ name: str(), alias: str(), version: str() }, ["name", "alias", "version"]);
export const RegisteredModelAlias = message({ name: str(), alias: str() }, ["name", "alias"]);

export const CreateModelVersion = message(
  {
    name: str(),
    source: str(),
    run_id: str(),
    tags: list(keyValue()),
    run_link: str(),
    description: str(),
    model_id: str(),
  },
  ["name", "source"],
);
export const ModelVersionRef = message({ name: str(), version: str() }, ["name", "version"]);
export const UpdateModelVersion = message({ name: str(), version: str(), description: str() }, ["name", "version"]);
export const TransitionModelVersionStage = message(
  { name: str(), version: str(), stage: str(), archive_existing_versions: bool() },
  ["name", "version", "stage"],
);
export const SearchModelVersions = message({ filter: str(), max_results: i64(), order_by: list(str()), page_token: str() });
export const SetModelVersionTag = message({ name: str(), version: str(), key: str(), value: str() }, ["name", "version", "key"]);
export const GetModelVersionArtifact = message({ name: str(), version: str(), path: str() }, ["name", "version", "path"]);
export const DeleteModelVersionTag = message({ name: str(), version: str(), key: str() }, ["name", "version", "key"]);

export interface KeyValue {
  key: string;
  value: string;
}

export interface ModelVersion {
  name: string;
  version: number;
  creationTime: number;
  lastUpdatedTime: number;
  description: string;
  currentStage: string;
  source: string;
  runId: string;
  runLink: string;
  status: string;
  statusMessage: string | null;
  tags: KeyValue[];
  /** Present only where MLflow reports a version's aliases (get, by-alias, transition, latest). */
  aliases?: string[];
}

export interface RegisteredModel {
  name: string;
  creationTime: number;
  lastUpdatedTime: number;
  description: string | null;
  latestVersions: ModelVersion[];
  tags: KeyValue[];
  aliases: { alias: string; version: number }[];
}

/**
 * MLflow's ModelVersion message. `status` is always emitted (an absent enum reads as
 * PENDING_REGISTRATION and makes the client poll); description, run_id and run_link are
 * emitted even when empty, as MLflow's server does.
 */
export function encodeModelVersion(mv: ModelVersion) {
  return compact({
    name: mv.name,
    version: String(mv.version),
    creation_timestamp: mv.creationTime,
    last_updated_timestamp: mv.lastUpdatedTime,
    current_stage: mv.currentStage,
    description: mv.description,
    source: mv.source,
    run_id: mv.runId,
    status: mv.status,
    status_message: mv.statusMessage || undefined,
    tags: mv.tags.length ? mv.tags : undefined,
    run_link: mv.runLink,
    aliases: mv.aliases?.length ? mv.aliases : undefined,
  });
}

/** MLflow's RegisteredModel message; an empty description and empty lists are omitted. */
export function encodeRegisteredModel(rm: RegisteredModel) {
  return compact({
    name: rm.name,
    creation_timestamp: rm.creationTime,
    last_updated_timestamp: rm.lastUpdatedTime,
    description: rm.description || undefined,
    latest_versions: rm.latestVersions.length ? rm.latestVersions.map(encodeModelVersion) : undefined,
    tags: rm.tags.length ? rm.tags : undefined,
    aliases: rm.aliases.length ? rm.aliases.map((a) => ({ alias: a.alias, version: String(a.version) })) : undefined,
  });
}
