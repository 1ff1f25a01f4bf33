import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // One file per area; add a new area here and in src/store/schema/index.ts.
  schema: ["./src/store/schema/tracking.ts", "./src/store/schema/logged-models.ts", "./src/store/schema/traces.ts", "./src/store/schema/auth.ts", "./src/store/schema/registry.ts"],
  out: "./migrations",
});
