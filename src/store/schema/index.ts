/** All tables, one file per area; drizzle.config.ts lists the same files. */
export * from "./tracking";
