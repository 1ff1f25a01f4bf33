/**
 * HMAC-signed URLs: a signature binds an HTTP method, one exact R2 key, an expiry and
 * an optional scope (e.g. an upload id and part number) with a server secret, so a URL
 * grants exactly that one operation until it expires, to whoever holds it.
 */

/** The longest a signed URL may live. */
export const MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

/** Secrets shorter than this are treated as absent: a guessable key signs nothing. */
export const MIN_SECRET_LENGTH = 32;

export interface Claim {
  method: "GET" | "PUT";
  key: string;
  /** Unix seconds. */
  expires: number;
  scope?: string;
}

export type Verdict = "ok" | "expired" | "invalid";

const encoder = new TextEncoder();

function canonical(c: Claim): string {
  // Keys never hold control characters (artifact-path.ts), yet encoding keeps fields unambiguous.
  return ["mlflare-v1", c.method, encodeURIComponent(c.key), String(c.expires), encodeURIComponent(c.scope ?? "")].join("\n");
}

// One mpu/create signs up to 10,000 part URLs: import the key once per secret, not per signature.
let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]) };
  }
  return cachedKey.key;
}

/**
 * Signs a claim; returns the signature as base64url.
 *
 * @example
 * const sig = await sign(secret, { method: "GET", key: "1/abc/artifacts/a.txt", expires: now + 3600 });
 */
export async function sign(secret: string, claim: Claim): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(canonical(claim)));
  return toBase64Url(new Uint8Array(mac));
}

/**
 * Checks a signature in constant time (WebCrypto's HMAC verify), then the expiry.
 * A claim that outlives the maximum lifetime is invalid even if well signed.
 *
 * @example
 * if ((await verify(secret, claim, sig)) !== "ok") throw forbidden();
 */
export async function verify(secret: string, claim: Claim, signature: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Verdict> {
  const mac = fromBase64Url(signature);
  if (!mac || !Number.isSafeInteger(claim.expires)) return "invalid";
  const good = await crypto.subtle.verify("HMAC", await hmacKey(secret), mac, encoder.encode(canonical(claim)));
  if (!good) return "invalid";
  if (claim.expires < nowSeconds) return "expired";
  if (claim.expires - nowSeconds > MAX_LIFETIME_SECONDS) return "invalid";
  return "ok";
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(s)) return undefined;
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}
