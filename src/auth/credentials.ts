/** A credential as the stock client sends it (§8.1): Basic when username and password are set, else Bearer. */
export type Credential = { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };

/**
 * Parses an `Authorization` header. Returns null when there is none and "malformed"
 * when there is one we cannot read (a wrong credential, not a missing one).
 *
 * @example
 * parseAuthorization("Bearer mlf_abc") // { kind: "bearer", token: "mlf_abc" }
 */
export function parseAuthorization(header: string | undefined): Credential | null | "malformed" {
  if (header === undefined || header.trim() === "") return null;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return "malformed";
  const scheme = match[1].toLowerCase();
  if (scheme === "bearer") return { kind: "bearer", token: match[2] };
  if (scheme !== "basic") return "malformed";
  const decoded = decodeBase64Utf8(match[2]);
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded === undefined || colon < 0) return "malformed";
  return { kind: "basic", username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function decodeBase64Utf8(text: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
