/** Who a request is from, once authenticated. */
export interface Principal {
  userId: number;
  username: string;
  isAdmin: boolean;
  /** Set when the request came with a read-only API token. */
  readOnly: boolean;
  /** The API token used, if any. */
  tokenId?: string;
}

declare module "hono" {
  interface ContextVariableMap {
    /** Set by the authentication middleware; absent in local mode without authentication. */
    principal?: Principal;
  }
}
