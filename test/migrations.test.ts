import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/db";
import { insertRun } from "../src/store/runs";

// Migrations that rebuild a table must carry every row over: an upgrade loses nothing.
const before = (tag: string) => env.TEST_MIGRATIONS.filter((m) => m.name < tag);
const from = (tag: string) => env.TEST_MIGRATIONS.filter((m) => m.name >= tag);
const db = env.MIGRATION_DB;

describe("0007–0009: run data rebuilt", () => {
  it("keeps every point, param, tag and latest value, in insertion order, keyed to its run; later runs take new keys", async () => {
    await applyD1Migrations(db, before("0007"));
    await db.batch([
      db.prepare("INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (7, 'e', 'a', 0, 0)"),
      ...["run-b", "run-a"].map((id) =>
        db.prepare("INSERT INTO runs (run_id, experiment_id, name, status, artifact_uri) VALUES (?, 7, ?, 'RUNNING', 'a')").bind(id, id),
      ),
      db.prepare(`INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest) VALUES
        ('run-b', 'loss', 5e-324, 0, 1, 0, NULL, NULL, NULL),
        ('run-b', 'loss', 0, 1, 2, 1, NULL, NULL, NULL),
        ('run-a', 'loss', 1.7976931348623157e308, 0, 3, 0, 'm-1', 'eval', 'd1'),
        ('run-a', 'acc', -0.1, 0, 4, 9, NULL, NULL, NULL)`),
      ...["params", "run_tags"].map((table) => db.prepare(`INSERT INTO ${table} (run_id, key, value) VALUES ('run-a', 'z', '1'), ('run-b', 'k', '2'), ('run-a', 'a', '3')`)),
      db.prepare(`INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES ('run-a', 'loss', 0.5, 0, 3, 0), ('run-a', 'acc', -0.1, 0, 4, 9)`),
    ]);

    await applyD1Migrations(db, from("0007"));

    // 0008: params, tags and latest values keep each run's insertion order as `position`.
    for (const table of ["params", "run_tags"]) {
      const rows = await db.prepare(`SELECT run_id, key, value FROM ${table} ORDER BY run_id, position`).all();
      expect(rows.results, table).toEqual([
        { run_id: "run-a", key: "z", value: "1" },
        { run_id: "run-a", key: "a", value: "3" },
        { run_id: "run-b", key: "k", value: "2" },
      ]);
    }
    const latest = await db.prepare("SELECT key, value FROM latest_metrics WHERE run_id = 'run-a' ORDER BY position").all();
    expect(latest.results).toEqual([{ key: "loss", value: 0.5 }, { key: "acc", value: -0.1 }]);
    // 0009: metric points by run key.
    const keys = await db.prepare("SELECT run_id, run_key FROM runs ORDER BY run_key").all();
    expect(keys.results).toEqual([{ run_id: "run-b", run_key: 1 }, { run_id: "run-a", run_key: 2 }]);
    const points = await db
      .prepare(`SELECT r.run_id, m.key, m.value, m.is_nan, m.timestamp, m.step, m.model_id, m.dataset_name, m.dataset_digest
                FROM metrics m JOIN runs r ON r.run_key = m.run_key ORDER BY m.timestamp`)
      .all();
    expect(points.results).toEqual([
      { run_id: "run-b", key: "loss", value: 5e-324, is_nan: 0, timestamp: 1, step: 0, model_id: null, dataset_name: null, dataset_digest: null },
      { run_id: "run-b", key: "loss", value: 0, is_nan: 1, timestamp: 2, step: 1, model_id: null, dataset_name: null, dataset_digest: null },
      { run_id: "run-a", key: "loss", value: 1.7976931348623157e308, is_nan: 0, timestamp: 3, step: 0, model_id: "m-1", dataset_name: "eval", dataset_digest: "d1" },
      { run_id: "run-a", key: "acc", value: -0.1, is_nan: 0, timestamp: 4, step: 9, model_id: null, dataset_name: null, dataset_digest: null },
    ]);
    const plan = await db.prepare("EXPLAIN QUERY PLAN SELECT key FROM metrics WHERE model_id = 'm-1'").all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("\n")).toContain("metrics_model");
    expect((await db.prepare("PRAGMA foreign_key_check").all()).results).toEqual([]);

    const later = { runId: "run-c", experimentId: 7, name: "c", userId: "", status: "RUNNING", startTime: 0, endTime: null, lifecycleStage: "active" };
    expect((await insertRun(openDatabase(db), later, [])).artifactUri).toBe("a/run-c/artifacts");
    expect(await db.prepare("SELECT run_key FROM runs WHERE run_id = 'run-c'").first("run_key")).toBe(3);
  });
});
