// The part of node:crypto (nodejs_compat) the replay uses; the project does not load
// @types/node, whose globals clash with @cloudflare/workers-types.
declare module "node:crypto" {
  interface Hash {
    update(data: string | Uint8Array): Hash;
    digest(): Uint8Array;
    digest(encoding: "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Hash;
}
