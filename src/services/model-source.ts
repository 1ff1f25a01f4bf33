import { invalidParameter } from "../protocol/errors";

/**
 * What a model version's `source` names. Sources are checked the way MLflow's server
 * checks them since CVE-2023-1177, -2780, -2356, -3765, CVE-2024-1558 and -3573
 * (`_validate_source_run`, `_validate_non_local_source_contains_relative_paths`), but
 * stricter: this server has no local artifact directory, so a local path or `file:` URI
 * is never a valid source, and a fragment, query or `;` parameter never is either.
 */
export type ModelSource =
  | { kind: "logged-model"; modelId: string }
  | { kind: "model-version"; name: string; version: number }
  | { kind: "run"; runId: string; path: string }
  | { kind: "uri" };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/**
 * Validates a model version source and says what it refers to. Prompt versions (the
 * registry's other tenant) may use a scheme-less placeholder such as `dummy-source`.
 *
 * @example
 * parseModelSource("models:/m-0123456789abcdef0123456789abcdef") // { kind: "logged-model", modelId: "m-0123…" }
 * parseModelSource("/etc/passwd") // throws 400 INVALID_PARAMETER_VALUE
 */
export function parseModelSource(source: string, opts: { isPrompt?: boolean } = {}): ModelSource {
  const decoded = fullyDecoded(source);
  const scheme = SCHEME.exec(source)?.[1]?.toLowerCase() ?? SCHEME.exec(decoded)?.[1]?.toLowerCase();
  if (scheme === "file" || (scheme === undefined && (!opts.isPrompt || /^[/\\]/.test(decoded)))) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. Local paths and file: URIs are not accepted by this server; use a runs:/, models:/ or mlflow-artifacts: URI.`,
    );
  }
  // A one-letter "scheme" is a Windows drive (C:\…), which is a local path too.
  if (scheme?.length === 1 || hasUnsafeParts(decoded)) throw unsafe(source);
  if (scheme === "models") return modelsUri(source, decoded);
  if (scheme === "runs") return runsUri(source, decoded);
  return { kind: "uri" };
}

/**
 * Undoes percent- and plus-encoding until nothing changes, as MLflow does before checking
 * (Python's unquote_plus: a `%` that starts no valid escape stays as it is).
 */
function fullyDecoded(source: string): string {
  let current = source;
  for (let i = 0; i < 10; i++) {
    const next = current.replace(/\+/g, " ").replace(/(?:%[0-9a-fA-F]{2})+/g, decodeEscapes);
    if (next === current) return current;
    current = next;
  }
  throw unsafe(source);
}

function decodeEscapes(escapes: string): string {
  try {
    return decodeURIComponent(escapes);
  } catch {
    // Not UTF-8: decode byte by byte, as unquote does with errors="replace".
    return escapes.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
      const byte = parseInt(hex, 16);
      return byte < 0x80 ? String.fromCharCode(byte) : "\ufffd";
    });
  }
}

/** `..` or `.` segments (either separator), control characters, fragments, queries and params. */
function hasUnsafeParts(decoded: string): boolean {
  if (/[\u0000-\u001f\u007f#?;]/.test(decoded)) return true;
  return decoded.split(/[/\\]/).some((segment) => segment === ".." || segment === ".");
}

function unsafe(source: string) {
  return invalidParameter(
    `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
  );
}

/** `models:/<model_id>` (a logged model) or `models:/<name>/<version>`; stage, latest and alias forms name no fixed artifacts. */
function modelsUri(source: string, decoded: string): ModelSource {
  const parts = decoded.replace(/^models:\/+/i, "").split("/");
  if (parts.length === 1 && parts[0] !== "" && !parts[0].includes("@")) return { kind: "logged-model", modelId: parts[0] };
  if (parts.length === 2 && parts[0].trim() !== "" && /^\d+$/.test(parts[1])) {
    return { kind: "model-version", name: parts[0], version: Number(parts[1]) };
  }
  throw invalidParameter(
    `Unable to fetch model from model URI source artifact location '${source}'. A model version source must be models:/<model_id> or models:/<name>/<version>.`,
  );
}

/** `runs:/<run_id>/<path>`. */
function runsUri(source: string, decoded: string): ModelSource {
  const match = /^runs:\/+([^/]+)\/?(.*)$/i.exec(decoded);
  if (!match) throw invalidParameter(`Invalid model version source: '${source}'. Expected runs:/<run_id>/<artifact path>.`);
  return { kind: "run", runId: match[1], path: match[2] };
}

/**
 * The artifact location of a `runs:/<run_id>/<path>` source inside its run's artifact root.
 *
 * @example
 * runArtifactLocation("mlflow-artifacts:/1/abc/artifacts", "model") // "mlflow-artifacts:/1/abc/artifacts/model"
 */
export function runArtifactLocation(runArtifactUri: string, path: string): string {
  const root = runArtifactUri.replace(/\/+$/, "");
  return path ? `${root}/${path.replace(/^\/+/, "")}` : root;
}
