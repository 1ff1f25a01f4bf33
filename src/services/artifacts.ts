import { invalidParameter, notFound } from "../protocol/errors";
import * as blobs from "../store/blobs";
import { findRunArtifactUri } from "../store/artifact-roots";
import type { Database } from "../store/db";
import { artifactPath, artifactRootKey, joinKey } from "./artifact-path";
import { runNotFound } from "./runs";

/** MLflow's FileInfo: `file_size` only for files, and (proto default) not when 0. */
export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/**
 * The direct children of a directory key as FileInfos named `prefix + name`, sorted by
 * path as MLflow's repositories return them. A missing directory, or a file, lists empty.
 *
 * @example
 * await listArtifacts(bucket, "1/abc/artifacts", "tree/") // [{ path: "tree/a.txt", is_dir: false, file_size: 7 }, …]
 */
export async function listArtifacts(bucket: R2Bucket, dirKey: string, prefix = ""): Promise<FileInfo[]> {
  const { files, dirs } = await blobs.listDirectory(bucket, dirKey);
  const infos: FileInfo[] = [
    ...dirs.map((d) => ({ path: prefix + d, is_dir: true })),
    ...files.map((f) => (f.size > 0 ? { path: prefix + f.name, is_dir: false, file_size: f.size } : { path: prefix + f.name, is_dir: false })),
  ];
  return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A stored file's metadata; 404 when absent, 400 when the key names a directory. */
export async function statFile(bucket: R2Bucket, key: string): Promise<R2Object> {
  const head = await blobs.headObject(bucket, key);
  if (head) return head;
  throw await missing(bucket, key);
}

/**
 * Reads a file, or one byte range of it (offsets already checked against its size).
 *
 * @example
 * const body = await readFile(bucket, "1/abc/artifacts/a.txt");
 */
export async function readFile(bucket: R2Bucket, key: string, range?: { offset: number; length: number }): Promise<R2ObjectBody> {
  const obj = await blobs.getObject(bucket, key, range);
  if (obj) return obj;
  throw await missing(bucket, key);
}

async function missing(bucket: R2Bucket, key: string) {
  if (await blobs.hasChildren(bucket, key)) return invalidParameter(`'${key}' is a directory, not a file.`);
  return notFound(`No such artifact: '${key}'`);
}

export const writeFile = blobs.putObject;

/** Deletes a file or a directory tree; deleting what is not there succeeds, as in MLflow. */
export const deleteArtifacts = blobs.deleteTree;

export interface RunArtifactRoot {
  /** The run's `artifact_uri`, as `root_uri` reports it. */
  uri: string;
  /** Where its files live in the bucket. */
  key: string;
}

/**
 * A run's artifact root; 404 for an unknown run, 400 when its root is not one this
 * server stores (e.g. an experiment created with an `s3://` location).
 */
export async function runArtifactRoot(db: Database, runId: string): Promise<RunArtifactRoot> {
  const uri = await findRunArtifactUri(db, runId);
  if (uri === undefined) throw runNotFound(runId);
  const key = artifactRootKey(uri);
  if (key === undefined) throw invalidParameter(`The artifact root '${uri}' of run ${runId} is not served by this server.`);
  return { uri, key };
}

/**
 * The key of a run-relative file path (a `path` query value, already decoded), confined
 * to the run's root.
 *
 * @example
 * runFileKey({ uri, key: "1/abc/artifacts" }, "model/MLmodel") // "1/abc/artifacts/model/MLmodel"
 */
export function runFileKey(root: RunArtifactRoot, relativePath: string | undefined): string {
  return joinKey(root.key, artifactPath(relativePath ?? "", { encoded: false, kind: "file" }));
}
