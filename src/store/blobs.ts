/**
 * Every access to the artifact bucket (R2). Keys are validated artifact paths
 * (services/artifact-path.ts); bodies are streamed, never held whole.
 */

/** R2 multipart parts must all be one size (but the last) and at least 5 MiB. */
const STREAM_PART_BYTES = 8 * 1024 * 1024;

/** R2's own page limit for listings. */
const LIST_PAGE = 1000;

export interface ListedDirectory {
  files: { name: string; size: number }[];
  dirs: string[];
}

/**
 * Lists the direct children of a directory (`prefix` without trailing slash, "" for
 * the root) through R2's delimiter listing, following cursors to the end.
 *
 * @example
 * const { files, dirs } = await listDirectory(env.ARTIFACTS, "1/abc/artifacts");
 */
export async function listDirectory(bucket: R2Bucket, dir: string, pageSize = LIST_PAGE): Promise<ListedDirectory> {
  const prefix = dir === "" ? "" : `${dir}/`;
  const out: ListedDirectory = { files: [], dirs: [] };
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, delimiter: "/", cursor, limit: pageSize });
    for (const obj of page.objects) out.files.push({ name: obj.key.slice(prefix.length), size: obj.size });
    for (const p of page.delimitedPrefixes) out.dirs.push(p.slice(prefix.length, -1));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

/** Deletes a file and everything under it as a directory; a missing key is no error. */
export async function deleteTree(bucket: R2Bucket, key: string): Promise<void> {
  await bucket.delete(key);
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${key}/`, cursor, limit: LIST_PAGE });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** Whether anything is stored under a key taken as a directory. */
export async function hasChildren(bucket: R2Bucket, key: string): Promise<boolean> {
  const page = await bucket.list({ prefix: `${key}/`, limit: 1 });
  return page.objects.length > 0;
}

export const headObject = (bucket: R2Bucket, key: string) => bucket.head(key);

/** Reads an object, or one byte range of it. */
export function getObject(bucket: R2Bucket, key: string, range?: { offset: number; length: number }): Promise<R2ObjectBody | null> {
  return bucket.get(key, range ? { range } : {});
}

/**
 * Writes an object from a request body. With a known length the body streams straight
 * into R2; without one (chunked uploads) it goes up as a multipart upload in fixed parts,
 * so memory holds at most one part.
 */
export async function putObject(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array> | null, length: number | undefined): Promise<void> {
  if (body === null || length === 0) {
    await bucket.put(key, "");
    return;
  }
  if (length !== undefined) {
    await bucket.put(key, fixedLength(body, length));
    return;
  }
  await putChunked(bucket, key, body);
}

/** Streams a body of announced length; R2 refuses the write if the body is shorter or longer. */
function fixedLength(body: ReadableStream<Uint8Array>, length: number): ReadableStream<Uint8Array> {
  const fixed = new FixedLengthStream(length);
  // The write side's errors surface through the read side R2 consumes.
  body.pipeTo(fixed.writable).catch(() => {});
  return fixed.readable;
}

async function putChunked(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = partReader(body, STREAM_PART_BYTES);
  const first = await reader.next();
  const second = first.done || first.value.byteLength < STREAM_PART_BYTES ? undefined : await reader.next();
  if (first.done || !second || second.done) {
    await bucket.put(key, first.done ? "" : first.value);
    return;
  }
  const upload = await bucket.createMultipartUpload(key);
  try {
    const parts = [await upload.uploadPart(1, first.value), await upload.uploadPart(2, second.value)];
    for (let r = await reader.next(); !r.done; r = await reader.next()) {
      parts.push(await upload.uploadPart(parts.length + 1, r.value));
    }
    await upload.complete(parts);
  } catch (err) {
    await upload.abort().catch(() => {});
    throw err;
  }
}

/** Regroups a byte stream into chunks of exactly `size` bytes (the last may be shorter). */
async function* partReader(body: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let buf = new Uint8Array(size);
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let offset = 0;
    while (offset < value.byteLength) {
      const n = Math.min(size - filled, value.byteLength - offset);
      buf.set(value.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield buf;
        buf = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buf.subarray(0, filled);
}

/** Starts an R2 multipart upload for a key; its id is what the client carries around. */
export async function createMultipartUpload(bucket: R2Bucket, key: string): Promise<string> {
  return (await bucket.createMultipartUpload(key)).uploadId;
}

/** Streams one part of a known length into an R2 multipart upload; returns R2's etag. */
export async function uploadPart(
  bucket: R2Bucket,
  key: string,
  uploadId: string,
  partNumber: number,
  body: ReadableStream<Uint8Array>,
  length: number,
): Promise<string> {
  const part = await bucket.resumeMultipartUpload(key, uploadId).uploadPart(partNumber, fixedLength(body, length));
  return part.etag;
}

export async function completeMultipartUpload(bucket: R2Bucket, key: string, uploadId: string, parts: R2UploadedPart[]): Promise<void> {
  await bucket.resumeMultipartUpload(key, uploadId).complete(parts);
}

export async function abortMultipartUpload(bucket: R2Bucket, key: string, uploadId: string): Promise<void> {
  await bucket.resumeMultipartUpload(key, uploadId).abort();
}
