import { keyValue, list, str } from "./fields";
import { compact } from "./json";
import { message } from "./message";

export const CreateExperiment = message(
  { name: str(), artifact_location: str(), tags: list(keyValue()) },
  ["name"],
);
export const GetExperiment = message({ experiment_id: str() }, ["experiment_id"]);
export const GetExperimentByName = message({ experiment_name: str() }, ["experiment_name"]);
export const ExperimentId = message({ experiment_id: str() }, ["experiment_id"]);
export const UpdateExperiment = message({ experiment_id: str(), new_name: str() }, ["experiment_id", "new_name"]);
export const SetExperimentTag = message({ experiment_id: str(), key: str(), value: str() }, ["experiment_id", "key"]);
export const DeleteExperimentTag = message({ experiment_id: str(), key: str() }, ["experiment_id", "key"]);

export interface Experiment {
  experimentId: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: number;
  lastUpdateTime: number;
  tags: { key: string; value: string }[];
}

/** MLflow's Experiment message; times are emitted only when non-zero. */
export function encodeExperiment(e: Experiment) {
  return compact({
    experiment_id: String(e.experimentId),
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime || undefined,
    creation_time: e.creationTime || undefined,
    tags: e.tags.length ? e.tags : undefined,
  });
}
