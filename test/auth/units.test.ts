import { describe, expect, it } from "vitest";
import { allows, defaultPermission } from "../../src/auth/config";
import { parseAuthorization } from "../../src/auth/credentials";
import { hashPassword, PBKDF2_ITERATIONS, secretsEqual, verifyPassword } from "../../src/auth/crypto";
import type { Env } from "../../src/env";

describe("passwords", () => {
  it("are hashed with PBKDF2 at workerd's maximum and a fresh salt", async () => {
    const [a, b] = [await hashPassword("s3cret"), await hashPassword("s3cret")];
    expect(a).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[\\w+/=]+\\$[\\w+/=]+$`));
    expect(a).not.toBe(b);
    expect(await verifyPassword("s3cret", a)).toBe(true);
    expect(await verifyPassword("s3cret!", a)).toBe(false);
    expect(await verifyPassword("s3cret", null)).toBe(false);
    expect(await verifyPassword("s3cret", "md5$abc")).toBe(false);
  });

  it("secrets compare equal only when equal", async () => {
    expect(await secretsEqual("abc", "abc")).toBe(true);
    expect(await secretsEqual("abc", "abd")).toBe(false);
    expect(await secretsEqual("abc", "abcd")).toBe(false);
  });
});

describe("Authorization header", () => {
  it("reads Bearer and Basic (passwords may contain colons), refuses the rest", () => {
    expect(parseAuthorization(undefined)).toBeNull();
    expect(parseAuthorization("Bearer mlf_x")).toEqual({ kind: "bearer", token: "mlf_x" });
    expect(parseAuthorization(`Basic ${btoa("bob:pa:ss")}`)).toEqual({ kind: "basic", username: "bob", password: "pa:ss" });
    expect(parseAuthorization("basic " + btoa("no-colon"))).toBe("malformed");
    expect(parseAuthorization("Basic %%%")).toBe("malformed");
    expect(parseAuthorization("Token abc")).toBe("malformed");
    expect(parseAuthorization("Bearer")).toBe("malformed");
  });
});

describe("permissions", () => {
  it("are ordered NO_PERMISSIONS < READ < EDIT < MANAGE", () => {
    expect(allows("MANAGE", "EDIT")).toBe(true);
    expect(allows("EDIT", "MANAGE")).toBe(false);
    expect(allows("READ", "READ")).toBe(true);
    expect(allows("NO_PERMISSIONS", "READ")).toBe(false);
  });

  it("default to READ, and to nothing when misconfigured", () => {
    const env = (v?: string) => ({ MLFLARE_DEFAULT_PERMISSION: v }) as unknown as Env;
    expect(defaultPermission(env(undefined))).toBe("READ");
    expect(defaultPermission(env("edit"))).toBe("EDIT");
    expect(defaultPermission(env("everything"))).toBe("NO_PERMISSIONS");
  });
});
