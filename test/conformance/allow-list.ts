import type { Exchange } from "./recording";
import type { Allowance } from "./replay";
import type { ScenarioName } from "./scenarios";

/**
 * The classes of deliberate deviation that ../shared/conformance/README.md permits
 * ("Where mlflare answers better than the stock server, on purpose"). Nothing else may be
 * allow-listed: any other difference is a compatibility bug.
 */
export type Deviation =
  /** The stock server answers a user's input with a 5xx; mlflare answers correctly or with a 4xx. */
  | "stock-5xx"
  /** Multipart upload / presigned download, refused by the stock server with 501, implemented by mlflare. */
  | "stock-501"
  /** A leading `/`/`%2f` (stock: 308) or a backslash form (stock: 404) after the artifacts prefix: mlflare refuses with 400. */
  | "artifact-path"
  /** A value a real client never sends (unknown run status, bad view type, log-parameter without value): mlflare refuses with 400. */
  | "over-lenient"
  /** HEAD on a GET route (stock: 400): mlflare answers it as HTTP says. */
  | "head"
  /** `/graphql` and `/` serve the stock web UI: mlflare answers with its own UI or a 404. */
  | "web-ui";

/** One deviating exchange: mlflare's answer instead of the recorded one, and why. */
export interface AllowEntry extends Allowance {
  file: ScenarioName;
  deviation: Deviation;
  why: string;
}

const INVALID = { status: 400, error_code: "INVALID_PARAMETER_VALUE" } as const;

/** Every exchange whose live answer differs from the recording on purpose, one entry each. */
export const ALLOW_LIST: readonly AllowEntry[] = [
  ...[25, 26, 28].map(
    (seq): AllowEntry => ({
      file: "08_errors",
      seq,
      expect: INVALID,
      deviation: "stock-5xx",
      why: "a JSON array/string/number body is a client mistake: 400 in MLflow's envelope, not the stock 500 HTML page",
    }),
  ),
  ...([["02_runs_logging", 75], ["08_errors", 57]] as const).map(
    ([file, seq]): AllowEntry => ({
      file,
      seq,
      expect: INVALID,
      deviation: "over-lenient",
      why: 'runs/update with status "EXPLODED", which names no RunStatus: refused instead of silently ignored',
    }),
  ),
  ...([["06_logged_models", 83], ["08_errors", 83]] as const).map(
    ([file, seq]): AllowEntry => ({
      file,
      seq,
      expect: INVALID,
      deviation: "stock-5xx",
      why: "a garbage logged-models page token is the caller's mistake: 400 like every other search, not the stock 500",
    }),
  ),
  {
    file: "08_errors",
    seq: 102,
    expect: { status: 404 },
    deviation: "web-ui",
    why: "/graphql backs only the stock web UI, which mlflare does not serve",
  },
  {
    file: "08_errors",
    seq: 103,
    expect: { status: 404 },
    deviation: "web-ui",
    why: "/ is the stock web UI's landing page, which mlflare does not serve",
  },
  {
    file: "04_artifacts",
    seq: 58,
    expect: { status: 200 },
    deviation: "stock-5xx",
    why: "a non-ASCII file name downloads (RFC 5987 filename*), where the stock server fails building a non-ASCII header",
  },
  {
    file: "04_artifacts",
    seq: 69,
    expect: INVALID,
    deviation: "stock-5xx",
    why: "GET of an artifact directory is the caller's mistake: 400, not the stock 500",
  },
  ...[124, 130, 135, 139].map(
    (seq): AllowEntry => ({
      file: "04_artifacts",
      seq,
      expect: { status: 200 },
      deviation: "stock-501",
      why: "multipart upload (mpu/create) and presigned download are implemented over R2, not refused with 501",
    }),
  ),
  {
    file: "05_registry",
    seq: 116,
    expect: { status: 404, error_code: "RESOURCE_DOES_NOT_EXIST" },
    deviation: "stock-5xx",
    why: "/model-versions/get-artifact resolves a runs:/ source through the run's artifact root (the stock server fails with 500); the run has no model/MLmodel, so 404",
  },
  ...[131, 132].map(
    (seq): AllowEntry => ({
      file: "04_artifacts",
      seq,
      expect: { status: 404, error_code: "RESOURCE_DOES_NOT_EXIST" },
      deviation: "stock-501",
      why: "mpu/complete and mpu/abort are implemented; the recorded call names an upload id that does not exist",
    }),
  ),
  ...[103, 104, 105, 117, 119].map(
    (seq): AllowEntry => ({
      file: "04_artifacts",
      seq,
      expect: INVALID,
      deviation: "artifact-path",
      why: "a backslash form or a leading / or %2f after the artifacts prefix is refused, not looked up literally or redirected",
    }),
  ),
];

/** The entries of one recording. */
export const allowListFor = (file: ScenarioName) => ALLOW_LIST.filter((a) => a.file === file);

/**
 * Exchanges no Worker can receive as recorded, so the replay cannot send them (it checks
 * that each one really is unsendable, see `toRequest`). They are untested here, not
 * excused: cover their behaviour in the route tests where the runtime allows it.
 */
export const NOT_REPLAYABLE: readonly { file: ScenarioName; seq: number; why: string }[] = [
  { file: "08_errors", seq: 99, why: "GET with a JSON body: the Workers runtime's Request refuses a GET body" },
  ...[98, 99, 102, 109, 116].map((seq) => ({
    file: "04_artifacts" as const,
    seq,
    why: "`..`, `%2e%2e` or `\\` in the path: the WHATWG URL parser resolves them before a Worker sees the request",
  })),
];

export const notReplayableFor = (file: ScenarioName) => NOT_REPLAYABLE.filter((n) => n.file === file).map((n) => n.seq);

const isInvalidParameter = (e: AllowEntry["expect"]) => e.status === 400 && e.error_code === "INVALID_PARAMETER_VALUE";

/** What the recorded exchange must look like for each class to apply. */
const CLASS_RULES: Record<Deviation, (e: Exchange, entry: AllowEntry) => boolean> = {
  "stock-5xx": (e) => e.response.status >= 500,
  "stock-501": (e) => e.response.status === 501 && /\/mlflow-artifacts\/(mpu|presigned)\//.test(e.request.path),
  "artifact-path": (e, entry) =>
    [308, 404].includes(e.response.status) && e.request.path.includes("/mlflow-artifacts/artifacts") && isInvalidParameter(entry.expect),
  "over-lenient": (e, entry) => e.response.status === 200 && isInvalidParameter(entry.expect),
  head: (e) => e.request.method === "HEAD",
  "web-ui": (e) => e.request.path === "/graphql" || e.request.path === "/",
};

/**
 * Checks allow-list entries against their recording: the exchange exists, the entry
 * changes its answer, never to a 5xx, and the README class really applies. [] when sound.
 *
 * @example allowListProblems(allowListFor("08_errors"), parseRecording(text)) // []
 */
export function allowListProblems(entries: readonly AllowEntry[], exchanges: readonly Exchange[]): string[] {
  const bySeq = new Map(exchanges.map((e) => [e.seq, e]));
  const seen = new Set<number>();
  return entries.flatMap((entry) => {
    const where = `${entry.file} seq ${entry.seq}`;
    const e = bySeq.get(entry.seq);
    if (!e) return [`${where}: no such exchange`];
    const problems: string[] = [];
    if (seen.has(entry.seq)) problems.push(`${where}: listed twice`);
    seen.add(entry.seq);
    if (!entry.why.trim()) problems.push(`${where}: no reason given`);
    if (entry.expect.status >= 500) problems.push(`${where}: mlflare must never answer a user's request with a 5xx`);
    const recordedCode = (e.response.body as { error_code?: string } | null)?.error_code;
    if (e.response.status === entry.expect.status && recordedCode === entry.expect.error_code) {
      problems.push(`${where}: the entry expects the recorded answer; remove it`);
    }
    if (!CLASS_RULES[entry.deviation](e, entry)) problems.push(`${where}: not a "${entry.deviation}" deviation the README permits`);
    return problems;
  });
}
