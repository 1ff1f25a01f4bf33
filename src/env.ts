/** Bindings and variables the Worker runs with (wrangler.toml, secrets, `--var`). */
export interface Env {
  DB: D1Database;
  ARTIFACTS: R2Bucket;
  /** "local" under `npm start` and tests; absent when deployed. */
  MLFLARE_ENV?: string;
}

export const isLocal = (env: Env) => env.MLFLARE_ENV === "local";
