/** Bindings and variables the Worker runs with (wrangler.toml, secrets, `--var`). */
export interface Env {
  DB: D1Database;
  ARTIFACTS: R2Bucket;
  /** "local" under `npm start` and tests; absent when deployed. */
  MLFLARE_ENV?: string;
  /** "on" turns authentication on under `npm start` too; deployed, it is always on. */
  MLFLARE_AUTH?: string;
  /** Secret: the administrator's API token. Without it, authentication on, every route but /health refuses. */
  MLFLARE_ADMIN_TOKEN?: string;
  /** The administrator's user name (default "admin"). */
  MLFLARE_ADMIN_USERNAME?: string;
  /** Permission on resources without an explicit grant: NO_PERMISSIONS, READ (default, as MLflow), EDIT, MANAGE. */
  MLFLARE_DEFAULT_PERMISSION?: string;
  /** Workers rate-limiting binding; requests are counted per credential. */
  RATE_LIMITER?: RateLimit;
  /** Secret that signs artifact URLs (multipart parts, presigned downloads, shared links). */
  MLFLARE_SIGNING_SECRET?: string;
  /** R2's S3 API credentials: when all four are set, transfer URLs are R2 presigned URLs. */
  R2_ACCESS_KEY_ID?: string;
  R2_SECRET_ACCESS_KEY?: string;
  R2_ACCOUNT_ID?: string;
  R2_BUCKET_NAME?: string;
}

export const isLocal = (env: Env) => env.MLFLARE_ENV === "local";
