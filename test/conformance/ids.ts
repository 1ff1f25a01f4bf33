/**
 * The README's ID learning and substitution ("Learn IDs"): recorded server-chosen values
 * are mapped to the live server's, then substituted into later requests and expectations.
 */

/** String fields whose value the server chooses: a difference is learned, not reported. */
export const ID_KEYS: ReadonlySet<string> = new Set([
  "experiment_id",
  "experimentId",
  "run_id",
  "run_uuid",
  "source_run_id",
  "mlflow.sourceRun",
  "model_id",
  "trace_id",
  "request_id",
  "next_page_token",
  "page_token",
  "upload_id",
  "run_name",
  "mlflow.runName",
]);

/** Fields whose value is never compared (server clock); the key must still be present. */
export const IGNORED_KEYS: ReadonlySet<string> = new Set([
  "creation_time",
  "last_update_time",
  "creation_timestamp",
  "last_updated_timestamp",
  "creation_timestamp_ms",
  "last_updated_timestamp_ms",
  "etag",
  "execution_duration",
]);

/** Where experiment ids sit; short numbers, so they are never replaced as bare substrings. */
export const EXPERIMENT_KEYS: ReadonlySet<string> = new Set([
  "experiment_id",
  "experimentId",
  "experiment_ids",
  "x-mlflow-experiment-id",
]);

/** Values at least this long are unique enough to replace as substrings anywhere. */
export const LONG_ID_MIN = 16;

// The segment right after these is an experiment id: `mlflow-artifacts:/1/…`,
// `/api/2.0/mlflow-artifacts/artifacts/1/…`. Matched in one pass so that 1→2, 2→3 never chain.
const EXPERIMENT_IN_PATH =
  /(mlflow-artifacts:|\/mlflow-artifacts\/(?:artifacts|presigned|mpu\/(?:create|complete|abort)))\/([^/]*)(?=\/|$)/g;
const LEADING_SEGMENT = /^[^/]*(?=\/|$)/;

type Kind = { type: "long" } | { type: "experiment" } | { type: "exact"; key: string };

/**
 * recorded → live values learned during one replay.
 *
 * @example
 * const ids = new IdMap();
 * ids.learn("35761c1e073847a5afc90c8b143f9670", "0f3e…", "run_uuid");
 * ids.sub("runs:/35761c1e073847a5afc90c8b143f9670/model"); // "runs:/0f3e…/model"
 */
export class IdMap {
  private readonly map = new Map<string, { live: string; kind: Kind }>();

  /** Remembers that `recorded`, found under field `key`, is `live` on this server. */
  learn(recorded: string, live: string, key: string): void {
    if (recorded === live || this.map.has(recorded)) return;
    const kind: Kind = EXPERIMENT_KEYS.has(key)
      ? { type: "experiment" }
      : recorded.length >= LONG_ID_MIN
        ? { type: "long" }
        : { type: "exact", key };
    this.map.set(recorded, { live, kind });
  }

  has(recorded: string): boolean {
    return this.map.has(recorded);
  }

  get size(): number {
    return this.map.size;
  }

  /** Substitutes learned values into `s`, which sits under field `key` (if any). */
  sub(s: string, key?: string): string {
    if (this.map.size === 0) return s;
    const whole = this.map.get(s);
    if (whole && key !== undefined && this.appliesWhole(whole.kind, key)) return whole.live;
    if (whole?.kind.type === "long") return whole.live;
    let out = s;
    for (const [recorded, { live, kind }] of this.map) {
      if (kind.type === "long") out = out.replaceAll(recorded, live);
    }
    out = out.replace(EXPERIMENT_IN_PATH, (match, prefix: string, id: string) => {
      const live = this.experiment(id);
      return live === undefined ? match : `${prefix}/${live}`;
    });
    // `?path=1/<run>/artifacts` of the mlflow-artifacts list endpoint (and listing entries)
    if (key === "path") out = out.replace(LEADING_SEGMENT, (id) => this.experiment(id) ?? id);
    return out;
  }

  /** Substitutes into every string of a JSON value; a string's key is its field name. */
  subJson(value: unknown, key?: string): unknown {
    if (typeof value === "string") return this.sub(value, key);
    if (Array.isArray(value)) return value.map((item) => this.subJson(item, key));
    if (isObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.subJson(v, k)]));
    }
    return value;
  }

  private appliesWhole(kind: Kind, key: string): boolean {
    if (kind.type === "experiment") return EXPERIMENT_KEYS.has(key);
    return kind.type === "exact" && kind.key === key;
  }

  private experiment(recorded: string): string | undefined {
    const entry = this.map.get(recorded);
    return entry?.kind.type === "experiment" ? entry.live : undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
