import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { writePattern } from "./pattern";

/** Thrown for any answer other than 200, with MLflow's error code when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly endpoint: string,
    detail: string,
  ) {
    super(`${endpoint}: HTTP ${status}${code ? ` ${code}` : ""} ${detail}`.trim());
  }
}

/** Response header through which mlflare's local mode reports D1 round trips. */
const D1_CALLS_HEADER = "x-mlflare-d1-calls";

/**
 * Kept-alive connections, as the Python client's pooled `requests` session keeps them.
 * node:http rather than fetch: Node 20's fetch spends about 1 ms of client CPU per call
 * (measured against /health), which would be charged to the server under test.
 */
const AGENTS = { "http:": new HttpAgent({ keepAlive: true }), "https:": new HttpsAgent({ keepAlive: true }) };

/** A buffered answer: status, headers and body text. */
interface Exchange {
  status: number;
  headers: IncomingMessage["headers"];
  text: string;
}

type Query = Record<string, string | number | readonly (string | number)[] | undefined>;

interface RequestOptions {
  headers?: Record<string, string>;
  /** Send the bench's credentials (off for presigned part URLs, as the MLflow client does). */
  auth?: boolean;
  /** Name of the endpoint in the D1 table, when the URL alone would not group well. */
  label?: string;
}

/**
 * The MLflow REST API as the stock Python client speaks it (GET query strings, JSON
 * POST bodies, `max_results=25000` history pages), recording the D1 round trips
 * each endpoint reports.
 *
 * @example
 * const client = new MlflowClient("http://127.0.0.1:8787");
 * const exp = await client.createExperiment("bench-1");
 */
export class MlflowClient {
  /** D1 calls per request, by endpoint label; empty when the server does not report them. */
  readonly d1Calls = new Map<string, number[]>();

  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /** POST a JSON body to `/api/2.0/mlflow<path>` and return the parsed answer. */
  post(path: string, body: unknown): Promise<any> {
    return this.json("POST", `/api/2.0/mlflow${path}`, body);
  }

  /** GET `/api/2.0/mlflow<path>` with a query string and return the parsed answer. */
  get(path: string, query: Query = {}): Promise<any> {
    return this.json("GET", `/api/2.0/mlflow${path}${toQuery(query)}`);
  }

  /** GET on the web UI's mount, `/ajax-api/2.0/mlflow<path>` (UI-only endpoints live there). */
  ajaxGet(path: string, query: Query = {}): Promise<any> {
    return this.json("GET", `/ajax-api/2.0/mlflow${path}${toQuery(query)}`);
  }

  /** Any JSON call by absolute path (e.g. the `/ajax-api` mounts). */
  async json(method: string, path: string, body?: unknown): Promise<any> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    // Node adds the Content-Length of a body sent whole by `end`.
    const headers: Record<string, string> = text === undefined ? {} : { "Content-Type": "application/json" };
    const res = await this.exchange(method, path, { headers }, (req) => req.end(text));
    const parsed = parseJson(res.text);
    if (res.status !== 200) throw new ApiError(res.status, parsed?.error_code, labelOf(method, path), parsed?.message ?? res.text.slice(0, 200));
    return parsed ?? {};
  }

  /**
   * One HTTP exchange on a kept-alive connection, answer buffered, whatever its status.
   * `send` writes the request body and ends the request (a streamed body needs its
   * Content-Length among the headers);
   * `path` is joined to the base URL unless it is already absolute.
   */
  exchange(method: string, path: string, options: RequestOptions = {}, send: (req: ClientRequest) => void = (req) => req.end()): Promise<Exchange> {
    const { url, headers } = this.target(path, options);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: AGENTS[url.protocol as keyof typeof AGENTS] }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          this.record(options.label ?? labelOf(method, url.pathname), status, res.headers[D1_CALLS_HEADER] as string | undefined);
          resolve({ status, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      send(req);
    });
  }

  /**
   * A GET whose answer is read as it arrives (fetch), such as an artifact download; the
   * caller reads or cancels the body.
   */
  async stream(path: string, options: RequestOptions = {}): Promise<Response> {
    const { url, headers } = this.target(path, options);
    const res = await fetch(url, { headers });
    this.record(options.label ?? labelOf("GET", url.pathname), res.status, res.headers.get(D1_CALLS_HEADER) ?? undefined);
    return res;
  }

  /**
   * PUT bytes `[offset, offset + size)` of the generated test file (bench/pattern.ts) with a
   * `Content-Length`, streamed with backpressure, as the Python client's
   * `requests.put(url, data=file)` does (fetch would send a stream chunked, which servers
   * may treat differently).
   */
  async upload(path: string, size: number, options: RequestOptions & { offset?: number } = {}): Promise<Exchange> {
    const headers = { ...options.headers, "Content-Length": String(size) };
    return this.exchange("PUT", path, { ...options, headers }, (req) => {
      writePattern(req, size, options.offset).then(() => req.end(), (err: Error) => req.destroy(err));
    });
  }

  /**
   * The URL of `path` (joined to the base URL unless already absolute) and the headers of
   * every request: the caller's, then the bench's credentials unless
   * `auth: false`.
   */
  private target(path: string, options: Pick<RequestOptions, "headers" | "auth">): { url: URL; headers: Record<string, string> } {
    const url = new URL(/^https?:/.test(path) ? path : `${this.baseUrl}${path}`);
    const headers: Record<string, string> = { "User-Agent": "mlflare-bench", ...options.headers };
    if (this.token && options.auth !== false) headers.Authorization = `Bearer ${this.token}`;
    return { url, headers };
  }

  private record(label: string, status: number, header: string | undefined): void {
    // Failed requests stop early; their counts would flatter the endpoint.
    if (header === undefined || status < 200 || status > 299) return;
    const list = this.d1Calls.get(label) ?? [];
    list.push(Number(header));
    this.d1Calls.set(label, list);
  }

  async createExperiment(name: string): Promise<string> {
    return (await this.post("/experiments/create", { name })).experiment_id;
  }

  /** Creates a run and returns its `info` (run_id, artifact_uri, …). */
  async createRun(experimentId: string, runName: string): Promise<{ run_id: string; artifact_uri?: string }> {
    const res = await this.post("/runs/create", { experiment_id: experimentId, run_name: runName, start_time: Date.now() });
    return res.run.info;
  }

  logMetric(runId: string, key: string, value: number, step: number, timestamp = Date.now()): Promise<unknown> {
    return this.post("/runs/log-metric", { run_id: runId, run_uuid: runId, key, value, timestamp, step });
  }

  logBatch(runId: string, batch: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] }): Promise<unknown> {
    return this.post("/runs/log-batch", { run_id: runId, ...batch });
  }

  /** Every point of a metric, paged exactly as `MlflowClient.get_metric_history` does. */
  async getHistory(runId: string, key: string, pageSize = 25_000): Promise<Metric[]> {
    const points: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.get("/metrics/get-history", {
        run_uuid: runId,
        metric_key: key,
        run_id: runId,
        max_results: pageSize,
        page_token: pageToken,
      });
      points.push(...(res.metrics ?? []));
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return points;
  }

  /** Every run a search matches, following `next_page_token`. */
  async searchRuns(experimentId: string, filter: string, orderBy: string[], pageSize: number): Promise<any[]> {
    const runs: any[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.post("/runs/search", {
        experiment_ids: [experimentId],
        filter,
        run_view_type: "ACTIVE_ONLY",
        max_results: pageSize,
        order_by: orderBy,
        page_token: pageToken,
      });
      runs.push(...(res.runs ?? []));
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return runs;
  }
}

export interface Metric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

function toQuery(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function parseJson(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Groups URLs by endpoint: the API prefix goes, and artifact paths (which carry
 * experiment and run ids) collapse to `<path>`.
 */
function labelOf(method: string, path: string): string {
  const bare = path.split("?")[0].replace(/^\/(ajax-)?api\/\d\.0\//, "");
  const artifact = bare.match(/^mlflow-artifacts\/(artifacts|mpu\/\w+|presigned)(\/.*)?$/);
  if (artifact) return `${method} mlflow-artifacts/${artifact[1]}${artifact[2] ? "/<path>" : ""}`;
  return `${method} ${bare.replace(/^mlflow\//, "")}`;
}
