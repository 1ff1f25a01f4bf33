/**
 * Hashing for stored secrets, all through WebCrypto.
 * workerd refuses PBKDF2 above 100,000 iterations, so that is the cost we use.
 */

export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = "pbkdf2-sha256";
const encoder = new TextEncoder();

/**
 * Hashes a password with a fresh random salt.
 *
 * @example
 * const stored = await hashPassword("s3cret"); // "pbkdf2-sha256$100000$…$…"
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return [SCHEME, PBKDF2_ITERATIONS, toBase64(salt), toBase64(hash)].join("$");
}

/**
 * Checks a password against a stored hash in constant time. A null or malformed
 * hash still costs one derivation, so timing does not tell whether a user exists.
 *
 * @example
 * if (await verifyPassword(input, user.passwordHash)) …
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? "").split("$");
  const valid = parts.length === 4 && parts[0] === SCHEME && /^\d+$/.test(parts[1]);
  const iterations = valid ? Math.min(Number(parts[1]), PBKDF2_ITERATIONS) : PBKDF2_ITERATIONS;
  const salt = valid ? fromBase64(parts[2]) : new Uint8Array(16);
  const expected = valid ? fromBase64(parts[3]) : new Uint8Array(32);
  const actual = await pbkdf2(password, salt, iterations);
  return timingSafeEqual(actual, expected) && valid;
}

/** SHA-256 of a string, hex-encoded: the stored form of an API token and the cache key of a credential. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings without leaking where they differ (both are hashed to equal length first). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([a, b].map((s) => crypto.subtle.digest("SHA-256", encoder.encode(s))));
  return timingSafeEqual(new Uint8Array(ha), new Uint8Array(hb));
}

/** `bytes` random bytes, base64url without padding. */
export function randomString(bytes: number): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return crypto.subtle.timingSafeEqual(a, b);
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}
