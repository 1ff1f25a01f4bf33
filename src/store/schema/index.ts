/** All tables, one file per area; drizzle.config.ts lists the same files. */
export * from "./tracking";
export * from "./logged-models";
export * from "./traces";
export * from "./auth";
export * from "./registry";
