import type { Env } from "../env";
import { invalidParameter, MlflowError } from "../protocol/errors";
import { MAX_LIFETIME_SECONDS, verify, type Claim } from "../signing";
import { signingSecret, SHARED_PATH, workerSignedUrl } from "./artifacts-signers";

/** Lifetime of a shared link when the caller names none. */
const DEFAULT_SHARE_SECONDS = 3600;

export interface SharedLink {
  url: string;
  method: "GET" | "PUT";
  /** Unix epoch milliseconds, as MLflow writes timestamps. */
  expires_at: number;
}

const forbidden = (why: string) => new MlflowError("PERMISSION_DENIED", why);

function secretOrThrow(env: Env): string {
  const secret = signingSecret(env);
  if (!secret) throw new MlflowError("NOT_IMPLEMENTED", "Shared links need MLFLARE_SIGNING_SECRET (at least 32 characters) to be configured.");
  return secret;
}

/**
 * Makes a link through which anyone can GET (or PUT) exactly one artifact key until it
 * expires. The links are Worker URLs even when R2 S3 credentials are configured, so one
 * secret revokes them all.
 *
 * @example
 * await shareLink(env, "https://mlflare.example", "1/abc/artifacts/model.pkl", "GET", 600);
 */
export async function shareLink(env: Env, origin: string, key: string, method: "GET" | "PUT", expiresIn = DEFAULT_SHARE_SECONDS): Promise<SharedLink> {
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_LIFETIME_SECONDS) {
    throw invalidParameter(`Invalid value ${expiresIn} for parameter 'expires_in' supplied: it must be between 1 and ${MAX_LIFETIME_SECONDS} seconds.`);
  }
  const expires = Math.floor(Date.now() / 1000) + expiresIn;
  const url = await workerSignedUrl(secretOrThrow(env), origin, SHARED_PATH, { method, key, expires });
  return { url, method, expires_at: expires * 1000 };
}

/**
 * Checks a signed URL's claim: 403 PERMISSION_DENIED when expired, tampered with, or
 * used for another key, method or scope (all of which change what was signed).
 */
export async function checkSignedClaim(env: Env, claim: Omit<Claim, "expires">, expires: string | undefined, sig: string | undefined): Promise<void> {
  const secret = secretOrThrow(env);
  if (!expires || !/^\d{1,12}$/.test(expires) || !sig) throw forbidden("This URL is not signed.");
  const verdict = await verify(secret, { ...claim, expires: Number(expires) }, sig);
  if (verdict === "expired") throw forbidden("This URL has expired.");
  if (verdict !== "ok") throw forbidden("This URL's signature does not match its method, path and expiry.");
}
