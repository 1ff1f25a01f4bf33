/**
 * Whose search it is, when authentication is on and the caller is not an admin:
 * results are limited to the experiments `userId` may read (explicit grants, else the
 * default permission), as MLflow's basic-auth app filters search results.
 */
export interface Reader {
  userId: number;
  /** Whether the default permission includes READ. */
  defaultReadable: boolean;
}
