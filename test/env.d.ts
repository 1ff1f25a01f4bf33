import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      MIGRATION_DB: D1Database;
      ARTIFACTS: R2Bucket;
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
export {};
