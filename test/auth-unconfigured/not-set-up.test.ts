import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

// This project's Worker has authentication on and no MLFLARE_ADMIN_TOKEN (vitest.config.ts).
it("fails closed with a setup message on every route but /health", async () => {
  expect((await SELF.fetch("http://mlflare.test/health")).status).toBe(200);
  for (const path of ["/api/2.0/mlflow/experiments/get?experiment_id=0", "/api/2.0/mlflow/users/current", "/nowhere"]) {
    const res = await SELF.fetch(`http://mlflare.test${path}`, { headers: { Authorization: "Bearer anything" } });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error_code: string; message: string };
    expect(body.error_code).toBe("PERMISSION_DENIED");
    expect(body.message).toContain("MLFLARE_ADMIN_TOKEN");
  }
});
