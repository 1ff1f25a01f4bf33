import { describe, expect, it } from "vitest";
import { artifactPath, artifactRootKey, isUnsafe } from "../src/services/artifact-path";
import { call } from "./helpers/api";
import { createRun, encodeKey, PROXY, raw } from "./helpers/artifacts";

/**
 * The traversal corpus: every form is refused as written (a decoded path, e.g. a query
 * value or a JSON field), percent-encoded (a URL path segment) and, where a second
 * decoding would make it dangerous, double-encoded.
 */
const UNSAFE: [string, string][] = [
  ["parent segment", "../etc/passwd"],
  ["parent segments deep", "1/run/artifacts/../../../mlflow.db"],
  ["bare parent", ".."],
  ["parent at end", "a/.."],
  ["current segment", "a/./b"],
  ["empty segment", "a//b"],
  ["absolute POSIX", "/etc/passwd"],
  ["double slash root", "//etc/passwd"],
  ["Windows drive, backslashes", "C:\\Windows\\win.ini"],
  ["Windows drive, slashes", "C:/Windows/win.ini"],
  ["UNC path", "\\\\server\\share\\x"],
  ["backslash traversal", "..\\..\\etc\\passwd"],
  ["backslash in a name", "a\\b"],
  ["file URI", "file:///etc/passwd"],
  ["other scheme", "s3://bucket/key"],
  ["NUL", "a\u0000b.txt"],
  ["control character", "a\nb.txt"],
  ["fragment", "a#b"],
  ["query", "a?b"],
  ["parameter", "a;b"],
];

/** Forms that are already percent-encoded as an attacker would write them in a URL. */
const ENCODED_ATTACKS: [string, string][] = [
  ["encoded dots", "%2e%2e/%2e%2e/etc/passwd"],
  ["encoded slash", "..%2f..%2fetc%2fpasswd"],
  ["upper-case encoding", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"],
  ["encoded backslash", "..%5c..%5cetc%5cpasswd"],
  ["encoded drive", "C:%5cWindows%5cwin.ini"],
  ["encoded file URI", "file:%2f%2f%2fetc%2fpasswd"],
  ["encoded leading slash", "%2fetc%2fpasswd"],
  ["encoded fragment", "a%23b"],
  ["encoded query", "a%3fb"],
  ["encoded parameter", "a%3bb"],
  ["encoded NUL", "a%00b"],
  ["double-encoded dots", "%252e%252e%252fetc"],
  ["double-encoded slash", "..%252f..%252fetc"],
  ["double-encoded backslash", "..%255c..%255cetc"],
  ["double-encoded fragment", "a%2523b"],
  ["double-encoded NUL", "a%2500b"],
  ["broken escape", "a%zzb"],
  ["truncated escape", "a%2"],
];

const SAFE: [string, string][] = [
  ["run file", "1/5f0c/artifacts/model/MLmodel"],
  ["spaces", "1/r/artifacts/with space.txt"],
  ["non-ASCII", "1/r/artifacts/unicode/ünïcødé.txt"],
  ["dots inside names", "1/r/artifacts/.hidden/a..b/v1.2.tar.gz"],
  ["colon later on", "1/r/artifacts/12:00.log"],
  ["percent without escape", "1/r/artifacts/100%.txt"],
];

describe("artifact path validation (unit)", () => {
  it.each(UNSAFE)("refuses %s as written", (_, p) => {
    expect(isUnsafe(p)).toBe(true);
    expect(() => artifactPath(p, { encoded: false, kind: "file" })).toThrow("Invalid path");
    expect(() => artifactPath(p, { encoded: false, kind: "dir" })).toThrow("Invalid path");
  });

  it.each(UNSAFE)("refuses %s percent-encoded, whole or per segment", (_, p) => {
    for (const encoded of [encodeURIComponent(p), encodeKey(p)]) {
      expect(() => artifactPath(encoded, { encoded: true, kind: "file" }), encoded).toThrow("Invalid path");
    }
  });

  it.each(UNSAFE)("refuses %s double-encoded", (_, p) => {
    expect(() => artifactPath(encodeURIComponent(encodeURIComponent(p)), { encoded: true, kind: "file" })).toThrow("Invalid path");
  });

  it.each(ENCODED_ATTACKS)("refuses the %s form", (_, p) => {
    expect(() => artifactPath(p, { encoded: true, kind: "file" })).toThrow("Invalid path");
  });

  it.each(SAFE)("accepts %s, as written and encoded", (_, p) => {
    expect(artifactPath(p, { encoded: false, kind: "file" })).toBe(p);
    expect(artifactPath(encodeKey(p), { encoded: true, kind: "file" })).toBe(p);
  });

  it("treats an empty directory as the root, one trailing slash as a directory, and refuses empty files", () => {
    expect(artifactPath("", { encoded: false, kind: "dir" })).toBe("");
    expect(artifactPath("1/r/artifacts/", { encoded: false, kind: "dir" })).toBe("1/r/artifacts");
    expect(() => artifactPath("", { encoded: false, kind: "file" })).toThrow("Invalid path");
    expect(() => artifactPath("a/", { encoded: false, kind: "file" })).toThrow("Invalid path");
    expect(() => artifactPath("a//", { encoded: false, kind: "dir" })).toThrow("Invalid path");
  });

  it("refuses keys longer than R2 allows", () => {
    expect(isUnsafe("a".repeat(1024))).toBe(false);
    expect(isUnsafe("a".repeat(1025))).toBe(true);
    expect(isUnsafe("ü".repeat(513))).toBe(true);
  });

  it("maps artifact roots to keys, refusing unsafe ones", () => {
    expect(artifactRootKey("mlflow-artifacts:/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(artifactRootKey("mlflow-artifacts://host:5000/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(artifactRootKey("http://h/api/2.0/mlflow-artifacts/artifacts/1/a%20b/artifacts")).toBe("1/a b/artifacts");
    expect(artifactRootKey("mlflow-artifacts:/")).toBe("");
    expect(artifactRootKey("mlflow-artifacts:/../../x/abc/artifacts")).toBeUndefined();
    expect(artifactRootKey("s3://bucket/1/abc/artifacts")).toBeUndefined();
    expect(artifactRootKey("file:///tmp/mlruns/1")).toBeUndefined();
  });
});

describe("artifact path validation (through the routes)", () => {
  const expect400 = async (res: Response, why: string) => {
    expect(res.status, why).toBe(400);
    expect((await res.json<any>()).error_code, why).toBe("INVALID_PARAMETER_VALUE");
  };

  it("refuses every form in the proxy's URL path, for GET, PUT, DELETE, multipart and presigned", async () => {
    const run = await createRun();
    // A bare `..` or `%2e%2e` between real slashes is a dot segment to the URL parser, which
    // resolves it before the Worker sees the request (the resolved path is then what routing
    // and permissions check); the unit tests above cover those forms.
    const reachable = (tail: string) => !/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(tail);
    // Drives and schemes are absolute only at the start of a key; elsewhere a `C:` segment is a plain name.
    const placements = (p: string) => (/^[a-z]+:/i.test(decodeURIComponent(p.replace(/%(?![0-9a-f]{2})/gi, "%25"))) ? [p] : [p, `${run.key}/${p}`]);
    const forms = [...UNSAFE.map(([, p]) => encodeURIComponent(p)), ...ENCODED_ATTACKS.map(([, p]) => p)];
    const tails = forms.flatMap(placements).filter(reachable);
    expect(tails.length).toBeGreaterThan(30);
    for (const tail of tails) {
      await expect400(await raw("GET", `${PROXY}/${tail}`), `GET ${tail}`);
      await expect400(await raw("PUT", `${PROXY}/${tail}`, { body: "evil" }), `PUT ${tail}`);
      await expect400(await raw("DELETE", `${PROXY}/${tail}`), `DELETE ${tail}`);
      await expect400(await raw("GET", `/api/2.0/mlflow-artifacts/presigned/${tail}`), `presigned ${tail}`);
      const mpu = await call("POST", `/api/2.0/mlflow-artifacts/mpu/create/${tail}`, { path: "f.bin", num_parts: 1 });
      expect(mpu.status, `mpu ${tail}`).toBe(400);
    }
  });

  it("refuses every form as the list `path`, the run-level `path` and the multipart file `path`", async () => {
    const run = await createRun();
    for (const [why, p] of UNSAFE) {
      expect((await call("GET", PROXY, { path: p })).status, why).toBe(400);
      expect((await call("GET", "/api/2.0/mlflow/artifacts/list", { run_id: run.runId, path: p })).status, why).toBe(400);
      expect((await call("GET", "/get-artifact", { run_id: run.runId, path: p })).status, why).toBe(400);
    }
    for (const local of ["..", ".", "a\u0000b", "x#y"]) {
      const r = await call("POST", `/api/2.0/mlflow-artifacts/mpu/create/${run.key}`, { path: local, num_parts: 1 });
      expect(r.status, local).toBe(400);
    }
  });

  it("never writes an object outside the requested key", async () => {
    const run = await createRun();
    const before = await listAll();
    for (const [, p] of ENCODED_ATTACKS.filter(([, p]) => !p.includes("%2e%2e/"))) await raw("PUT", `${PROXY}/${run.key}/${p}`, { body: "evil" });
    expect(await listAll()).toEqual(before);
  });
});

async function listAll(): Promise<string[]> {
  const { env } = await import("cloudflare:workers");
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.ARTIFACTS.list({ cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}
