/**
 * Serves the bundled Worker with Miniflare on PORT (default 8787), with wrangler.toml's
 * bindings and the same local D1/R2 state `wrangler d1 migrations apply --local` writes.
 *
 *   tsx scripts/serve.ts <bundle.js>          (scripts/start.sh bundles, migrates, then runs this)
 *
 * Not `wrangler dev`: its reloading proxy answers some large parallel PUTs (the client's
 * multipart part uploads) with a false 503 "Your worker restarted mid-request", and the stock
 * client does not retry those. Miniflare serves the Worker straight from workerd.
 *
 * Environment: PORT; MLFLARE_AUTH=on with MLFLARE_ADMIN_TOKEN; INSPECTOR_PORT for a profiler.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const STATE = ".wrangler/state/v3";
const DEV_VARS = ".dev.vars";
const SECRET_NAME = "MLFLARE_SIGNING_SECRET";

/**
 * Signed artifact URLs need a secret. wrangler reads `.dev.vars` (git-ignored) into the
 * bindings; when it has none, a random one is appended there so links survive restarts.
 */
function signingSecret(bindings: Record<string, unknown>): Record<string, string> {
  if (bindings[SECRET_NAME]) return {};
  const secret = randomBytes(32).toString("hex");
  appendFileSync(DEV_VARS, `\n${SECRET_NAME}=${secret}\n`);
  return { [SECRET_NAME]: secret };
}

function modeVars(): Record<string, string> {
  const vars: Record<string, string> = { MLFLARE_ENV: "local" };
  if (process.env.MLFLARE_AUTH === "on") {
    vars.MLFLARE_AUTH = "on";
    vars.MLFLARE_ADMIN_TOKEN = process.env.MLFLARE_ADMIN_TOKEN ?? "";
  }
  return vars;
}

async function main(bundle: string | undefined) {
  if (!bundle) throw new Error("usage: tsx scripts/serve.ts <bundle.js>");
  const port = Number(process.env.PORT ?? 8787);
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
  const inspectorPort = process.env.INSPECTOR_PORT ? Number(process.env.INSPECTOR_PORT) : undefined;
  const mf = new Miniflare({
    ...workerOptions,
    name: "mlflare",
    modules: true,
    scriptPath: resolve(bundle),
    bindings: { ...workerOptions.bindings, ...signingSecret(workerOptions.bindings ?? {}), ...modeVars() },
    d1Persist: `${STATE}/d1`,
    r2Persist: `${STATE}/r2`,
    // Miniflare's entry socket, though `unsafeDirectSockets` saves ~0.4 ms a request: with a
    // direct socket workerd twice stalled at full CPU midway through 8 parallel part uploads.
    host: "127.0.0.1",
    port,
    inspectorPort,
  });
  console.log(`mlflare: ready on ${(await mf.ready).origin}`);
  const stop = () => void mf.dispose().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv[2]).catch((err) => {
  console.error(`mlflare: ${(err as Error).message}`);
  process.exit(1);
});
