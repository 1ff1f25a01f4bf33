import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { allowListFor, allowListProblems, notReplayableFor } from "./allow-list";
import { parseRecording, type Exchange } from "./recording";
import { formatReport, replayRecording } from "./replay";

/**
 * Which recordings replay in `npm test`. A scenario switches on when the routes it
 * exercises exist; flip its flag here (and delete its lines from PENDING_ROUTES).
 */
export const SCENARIOS = {
  "01_experiments": true,
  "02_runs_logging": true,
  "03_search_runs": true,
  "04_artifacts": true,
  "05_registry": true,
  "06_logged_models": true,
  "07_traces": true,
  "08_errors": true,
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/**
 * Route prefixes (after `/api/<v>` or `/ajax-api/<v>`) not built yet: exchanges on them
 * are skipped in every enabled scenario. Delete a line when its routes land.
 */
export const PENDING_ROUTES: readonly string[] = [];

/**
 * The route a recorded path addresses: without its API prefix.
 *
 * @example routeOf("/api/3.0/mlflow/traces/tr-1") // "/mlflow/traces/tr-1"
 */
export function routeOf(path: string): string {
  return path.replace(/^\/(?:ajax-)?api\/\d+\.\d+(?=\/)/, "");
}

/** True for exchanges on a PENDING_ROUTES route (whole path segments only). */
export function isPending(e: Exchange, pending: readonly string[] = PENDING_ROUTES): boolean {
  const route = routeOf(e.request.path);
  return pending.some((prefix) => route === prefix || route.startsWith(`${prefix}/`));
}

/** Where the replay addresses the Worker; the host:port replaces the recording proxy's. */
const BASE = "http://127.0.0.1:8787";

/**
 * Defines the tests of one recording: its allow-list entries are sound, and (when the
 * scenario is switched on) it replays on this file's fresh D1/R2 with no mismatch. Every
 * mismatch of the scenario is reported in the one failure message.
 */
export function replayScenario(name: ScenarioName, jsonl: string): void {
  const exchanges = parseRecording(jsonl);

  it(`${name}: allow-list entries name real deviations of permitted classes`, () => {
    expect(allowListProblems(allowListFor(name), exchanges)).toEqual([]);
  });

  it.skipIf(!SCENARIOS[name])(
    `${name}: replays like the stock MLflow server`,
    async () => {
      await expectFreshStorage();
      const result = await replayRecording(exchanges, {
        fetch: (request) => SELF.fetch(request),
        base: BASE,
        skip: (e) => isPending(e),
        allow: allowListFor(name),
        unsendable: notReplayableFor(name),
      });
      if (result.mismatches.length) expect.fail(formatReport(name, result));
      expect(result.replayed + result.skipped + result.unsendable).toBe(exchanges.length);
    },
    120_000,
  );
}

// The recordings assume a new server: only the Default experiment, no artifacts. vitest
// pool workers 0.15 starts a new Miniflare (fresh D1 and R2) for every test file.
async function expectFreshStorage(): Promise<void> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM experiments").first<{ n: number }>();
  expect(row?.n, "a replay needs fresh storage: one scenario per test file").toBe(1);
  expect((await env.ARTIFACTS.list({ limit: 1 })).objects).toEqual([]);
}
