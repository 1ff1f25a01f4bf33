import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Test-only admin token of the auth projects (never a deployed value); tests read it from `env`. */
const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  // Each project is its own Worker: the suite runs in local mode without authentication,
  // test/auth/ with authentication on (as `MLFLARE_AUTH=on npm start`), test/auth-rate-limit/
  // with a tiny rate limit, test/auth-unconfigured/ without an admin credential. Settings
  // differ by Worker, never by request.
  const project = (name: string, include: string[], bindings: Record<string, unknown>, limit = 100_000) => ({
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            MLFLARE_ENV: "local",
            MLFLARE_SIGNING_SECRET: "test-signing-secret-0123456789abcdef0123456789",
            ...bindings,
          },
          ratelimits: { RATE_LIMITER: { simple: { limit, period: 60 } } },
          // An empty database for test/migrations.test.ts, which migrates data step by step.
          ...(name === "main" ? { d1Databases: ["MIGRATION_DB"] } : {}),
        },
      }),
    ],
    test: {
      name,
      include,
      exclude: name === "main" ? ["test/auth/**", "test/auth-*/**"] : [],
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 30_000,
    },
  });
  const authOn = { MLFLARE_AUTH: "on", MLFLARE_ADMIN_TOKEN: TEST_ADMIN_TOKEN, MLFLARE_DEFAULT_PERMISSION: "NO_PERMISSIONS" };
  return {
    test: {
      projects: [
        project("main", ["test/**/*.test.ts"], {}),
        project("auth", ["test/auth/**/*.test.ts"], authOn),
        project("auth-rate-limit", ["test/auth-rate-limit/**/*.test.ts"], authOn, 3),
        project("auth-unconfigured", ["test/auth-unconfigured/**/*.test.ts"], { MLFLARE_AUTH: "on" }),
      ],
    },
  };
});
