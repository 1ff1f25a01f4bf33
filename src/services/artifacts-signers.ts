import { AwsClient } from "aws4fetch";
import type { Env } from "../env";
import { MIN_SECRET_LENGTH, sign, type Claim } from "../signing";

/** A URL the client uses as is, with exactly these headers and no MLflow credentials. */
export interface TransferUrl {
  url: string;
  headers: Record<string, string>;
}

/**
 * Makes the URLs through which bytes move without the tracking API's credentials:
 * one per multipart part (PUT) and one per download (GET, ranged by the client).
 */
export interface TransferSigner {
  partUpload(key: string, uploadId: string, partNumber: number, ttlSeconds: number): Promise<TransferUrl>;
  download(key: string, ttlSeconds: number): Promise<TransferUrl>;
}

/** Where the Worker answers its own signed URLs (mounted under /api/2.0 and /ajax-api/2.0). */
export const SHARED_PATH = "/mlflare/shared/";
export const PART_PATH = "/mlflare/mpu-part/";

/** The scope a part URL is signed for, so it cannot write another part or upload. */
export const partScope = (uploadId: string, partNumber: number) => `part:${uploadId}:${partNumber}`;

/** The configured signing secret, or undefined when absent or too short to be safe. */
export function signingSecret(env: Env): string | undefined {
  const s = env.MLFLARE_SIGNING_SECRET;
  return s && s.length >= MIN_SECRET_LENGTH ? s : undefined;
}

/**
 * The signer for this deployment: R2 presigned S3 URLs when R2 API credentials are
 * configured (bytes bypass the Worker), otherwise HMAC-signed URLs served by the Worker
 * itself; undefined when neither is configured.
 *
 * @example
 * const signer = transferSigner(c.env, new URL(c.req.url).origin);
 */
export function transferSigner(env: Env, origin: string): TransferSigner | undefined {
  if (env.R2_ACCESS_KEY_ID && env.R2_SECRET_ACCESS_KEY && env.R2_ACCOUNT_ID && env.R2_BUCKET_NAME) {
    return new R2PresignedSigner(env.R2_ACCESS_KEY_ID, env.R2_SECRET_ACCESS_KEY, env.R2_ACCOUNT_ID, env.R2_BUCKET_NAME);
  }
  const secret = signingSecret(env);
  return secret ? new WorkerSigner(secret, origin) : undefined;
}

/** Percent-encodes each segment of a key for a URL path. */
export const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A Worker URL carrying its own signature.
 *
 * @example
 * await workerSignedUrl(secret, origin, SHARED_PATH, { method: "GET", key, expires });
 */
export async function workerSignedUrl(secret: string, origin: string, path: string, claim: Claim, query: Record<string, string> = {}): Promise<string> {
  const params = new URLSearchParams({ ...query, expires: String(claim.expires), sig: await sign(secret, claim) });
  return `${origin}/api/2.0${path}${encodeKey(claim.key)}?${params}`;
}

class WorkerSigner implements TransferSigner {
  constructor(
    private readonly secret: string,
    private readonly origin: string,
  ) {}

  async partUpload(key: string, uploadId: string, partNumber: number, ttl: number): Promise<TransferUrl> {
    const claim: Claim = { method: "PUT", key, expires: nowSeconds() + ttl, scope: partScope(uploadId, partNumber) };
    const query = { upload_id: uploadId, part_number: String(partNumber) };
    return { url: await workerSignedUrl(this.secret, this.origin, PART_PATH, claim, query), headers: {} };
  }

  async download(key: string, ttl: number): Promise<TransferUrl> {
    const claim: Claim = { method: "GET", key, expires: nowSeconds() + ttl };
    return { url: await workerSignedUrl(this.secret, this.origin, SHARED_PATH, claim), headers: {} };
  }
}

class R2PresignedSigner implements TransferSigner {
  private readonly aws: AwsClient;
  private readonly base: string;

  constructor(accessKeyId: string, secretAccessKey: string, accountId: string, bucket: string) {
    this.aws = new AwsClient({ accessKeyId, secretAccessKey, service: "s3", region: "auto" });
    this.base = `https://${accountId}.r2.cloudflarestorage.com/${encodeURIComponent(bucket)}/`;
  }

  partUpload(key: string, uploadId: string, partNumber: number, ttl: number): Promise<TransferUrl> {
    return this.presign("PUT", key, ttl, { partNumber: String(partNumber), uploadId });
  }

  download(key: string, ttl: number): Promise<TransferUrl> {
    return this.presign("GET", key, ttl, {});
  }

  private async presign(method: string, key: string, ttl: number, query: Record<string, string>): Promise<TransferUrl> {
    const url = new URL(this.base + encodeKey(key));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    url.searchParams.set("X-Amz-Expires", String(ttl));
    const signed = await this.aws.sign(url.toString(), { method, aws: { signQuery: true } });
    return { url: signed.url, headers: {} };
  }
}
