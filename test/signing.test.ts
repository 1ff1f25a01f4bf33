import { describe, expect, it } from "vitest";
import { MAX_LIFETIME_SECONDS, sign, verify, type Claim } from "../src/signing";

const SECRET = "unit-test-secret-0123456789abcdef-0123";
const NOW = 1_800_000_000;
const claim: Claim = { method: "GET", key: "1/abc/artifacts/a.txt", expires: NOW + 60 };

describe("signed URL claims", () => {
  it("verify what was signed, and only that", async () => {
    const sig = await sign(SECRET, claim);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await verify(SECRET, claim, sig, NOW)).toBe("ok");
    const changed: Claim[] = [
      { ...claim, method: "PUT" },
      { ...claim, key: "1/abc/artifacts/b.txt" },
      { ...claim, key: "1/abc/artifacts/a.txt/" },
      { ...claim, expires: claim.expires + 1 },
      { ...claim, scope: "part:u:1" },
    ];
    for (const c of changed) expect(await verify(SECRET, c, sig, NOW), JSON.stringify(c)).toBe("invalid");
    expect(await verify("another-secret-0123456789abcdef-0123", claim, sig, NOW)).toBe("invalid");
  });

  it("bind the scope: a part URL is valid for its own upload and part only", async () => {
    const part = { ...claim, method: "PUT" as const, scope: "part:u1:1" };
    const sig = await sign(SECRET, part);
    expect(await verify(SECRET, part, sig, NOW)).toBe("ok");
    expect(await verify(SECRET, { ...part, scope: "part:u1:2" }, sig, NOW)).toBe("invalid");
    expect(await verify(SECRET, { ...part, scope: "part:u2:1" }, sig, NOW)).toBe("invalid");
  });

  it("expire, and never live longer than 7 days", async () => {
    const sig = await sign(SECRET, claim);
    expect(await verify(SECRET, claim, sig, claim.expires)).toBe("ok");
    expect(await verify(SECRET, claim, sig, claim.expires + 1)).toBe("expired");
    const long = { ...claim, expires: NOW + MAX_LIFETIME_SECONDS + 1 };
    expect(await verify(SECRET, long, await sign(SECRET, long), NOW)).toBe("invalid");
    const week = { ...claim, expires: NOW + MAX_LIFETIME_SECONDS };
    expect(await verify(SECRET, week, await sign(SECRET, week), NOW)).toBe("ok");
  });

  it("refuse malformed signatures without throwing", async () => {
    for (const bad of ["", "abc", "!".repeat(43), "A".repeat(44)]) expect(await verify(SECRET, claim, bad, NOW)).toBe("invalid");
    expect(await verify(SECRET, { ...claim, expires: Number.NaN }, await sign(SECRET, claim), NOW)).toBe("invalid");
  });
});
