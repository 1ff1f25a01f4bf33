import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";

const MIB = 1024 * 1024;
const BASE = Buffer.from(Uint8Array.from({ length: MIB }, (_, i) => (i * 31) & 0xff));

/**
 * The MiB at `index` of the generated test file: a fixed pattern stamped with its own
 * index, so parts stored out of order or twice change the file's digest.
 */
function block(index: number): Buffer {
  const out = Buffer.from(BASE);
  out.writeUInt32BE(index, 0);
  return out;
}

/** Bytes `[offset, offset + size)` of the test file, in MiB-aligned chunks (offset must be a multiple of 1 MiB). */
function* chunks(offset: number, size: number): Generator<Buffer> {
  for (let sent = 0; sent < size; sent += MIB) {
    const n = Math.min(MIB, size - sent);
    const b = block((offset + sent) / MIB);
    yield n === MIB ? b : b.subarray(0, n);
  }
}

/** Writes bytes `[offset, offset + size)` of the test file, waiting for the socket to drain. */
export async function writePattern(out: Writable, size: number, offset = 0): Promise<void> {
  for (const chunk of chunks(offset, size)) {
    if (!out.write(chunk)) await once(out, "drain");
  }
}

/** SHA-256 (hex) of the first `size` bytes of the test file. */
export function patternDigest(size: number): string {
  const hash = createHash("sha256");
  for (const chunk of chunks(0, size)) hash.update(chunk);
  return hash.digest("hex");
}
