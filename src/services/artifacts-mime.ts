import { basename } from "./artifact-path";

/**
 * MLflow's guess of an artifact's media type (mlflow/utils/mime_type_utils.py): a list
 * of text-like extensions (and the extension-less `MLmodel`/`MLproject`) are plain text;
 * otherwise Python's `mimetypes` table, falling back to binary.
 */
const TEXT_EXTENSIONS = new Set([
  "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml",
  "yaml", "yml", "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "MLproject",
]);

/** The entries of Python's `mimetypes` table that artifacts commonly hit. */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  webp: "image/webp",
  ico: "image/vnd.microsoft.icon",
  tif: "image/tiff",
  tiff: "image/tiff",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  pdf: "application/pdf",
  zip: "application/zip",
  tar: "application/x-tar",
  bin: "application/octet-stream",
  mp3: "audio/mpeg",
  wav: "audio/x-wav",
  mp4: "video/mp4",
  c: "text/plain",
  h: "text/plain",
  sh: "application/x-sh",
};

/**
 * @example
 * guessMimeType("model/MLmodel") // "text/plain"
 * guessMimeType("plot.png") // "image/png"
 */
export function guessMimeType(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf(".");
  // As os.path.splitext: a leading dot starts no extension, and an extension-less name is its own.
  const ext = dot > 0 ? name.slice(dot + 1) : name;
  if (TEXT_EXTENSIONS.has(ext)) return "text/plain";
  return MIME_BY_EXTENSION[ext.toLowerCase()] ?? "application/octet-stream";
}
