import { describe, expect, it } from "vitest";
import { adminToken, asAdmin, basic, bearer, createUser, send, uniqueName } from "./helpers";

describe("authentication", () => {
  it("keeps /health open and refuses the API without a credential", async () => {
    expect((await send("GET", "/health")).status).toBe(200);
    const r = await send("GET", "/api/2.0/mlflow/experiments/get", { query: { experiment_id: "0" } });
    expect(r.status).toBe(401);
    expect(r.res.headers.get("WWW-Authenticate")).toBe('Basic realm="mlflow"');
    expect(r.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("accepts the admin token and answers users/current", async () => {
    const r = await send("GET", "/api/2.0/mlflow/users/current", { auth: bearer(adminToken()) });
    expect(r.status).toBe(200);
    expect(r.json.user).toMatchObject({ username: "admin", is_admin: true });
  });

  it("accepts Basic with the right password only", async () => {
    const u = await createUser();
    const ok = await send("GET", "/api/2.0/mlflow/users/current", { auth: basic(u.username, u.password) });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toEqual({ id: expect.any(Number), username: u.username, is_admin: false });
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: basic(u.username, "wrong") })).status).toBe(401);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: basic("nobody-here", "x") })).status).toBe(401);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: "Basic !!!" })).status).toBe(401);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: "Digest abc" })).status).toBe(401);
  });

  it("prefers the Authorization header's scheme as sent: a wrong bearer token is refused", async () => {
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: bearer("mlf_not-a-token") })).status).toBe(401);
  });
});

describe("API tokens", () => {
  it("are shown once, listed without the secret, and stop working when revoked", async () => {
    const u = await createUser();
    const created = await asAdmin("POST", "/mlflare/tokens/create", { username: u.username, name: "ci" });
    expect(created.secret).toMatch(/^mlf_[\w-]{43}$/);
    expect(created.token).toMatchObject({ username: u.username, name: "ci", read_only: false });
    const auth = bearer(created.secret);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth })).status).toBe(200);

    const list = await send("GET", "/api/2.0/mlflare/tokens/list", { auth });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toContain(created.secret);
    expect(list.json.tokens.map((t: any) => t.token_id)).toContain(created.token.token_id);

    const revoke = await send("POST", "/api/2.0/mlflare/tokens/revoke", { auth, json: { token_id: created.token.token_id } });
    expect(revoke.status).toBe(200);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth })).status).toBe(401);
    const after = await asAdmin("GET", "/mlflare/tokens/list", { username: u.username });
    expect(after.tokens.find((t: any) => t.token_id === created.token.token_id).revoked_time).toEqual(expect.any(Number));
  });

  it("cannot revoke or list another user's tokens", async () => {
    const a = await createUser();
    const b = await createUser();
    const { token } = await asAdmin("POST", "/mlflare/tokens/create", { username: b.username });
    const r = await send("POST", "/api/2.0/mlflare/tokens/revoke", { auth: bearer(a.token), json: { token_id: token.token_id } });
    expect(r.status).toBe(404);
    expect((await send("GET", "/api/2.0/mlflare/tokens/list", { auth: bearer(a.token), query: { username: b.username } })).status).toBe(403);
    expect((await send("POST", "/api/2.0/mlflare/tokens/create", { auth: bearer(a.token), json: { username: b.username } })).status).toBe(403);
  });

  it("validates expiry and names", async () => {
    const u = await createUser();
    for (const expires_in_days of [0, -1, 4000]) {
      const r = await send("POST", "/api/2.0/mlflare/tokens/create", { auth: bearer(u.token), json: { expires_in_days } });
      expect(r.status).toBe(400);
      expect(r.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    const long = await send("POST", "/api/2.0/mlflare/tokens/create", { auth: bearer(u.token), json: { name: "x".repeat(256) } });
    expect(long.status).toBe(400);
    const ok = await send("POST", "/api/2.0/mlflare/tokens/create", { auth: bearer(u.token), json: { expires_in_days: 30, read_only: true } });
    expect(ok.status).toBe(200);
    expect(ok.json.token.expiry_time - ok.json.token.creation_time).toBe(30 * 86_400_000);
  });

  it("read-only tokens may read but not write", async () => {
    const u = await createUser();
    const { secret } = await asAdmin("POST", "/mlflare/tokens/create", { username: u.username, read_only: true });
    const auth = bearer(secret);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth })).status).toBe(200);
    // Searches are POSTs that only read.
    expect((await send("POST", "/api/2.0/mlflow/experiments/search", { auth, json: {} })).status).toBe(200);
    // A read-only token cannot mint itself a writable one.
    expect((await send("POST", "/api/2.0/mlflare/tokens/create", { auth, json: {} })).status).toBe(403);
    const create = await send("POST", "/api/2.0/mlflow/experiments/create", { auth, json: { name: uniqueName("ro") } });
    expect(create.status).toBe(403);
    expect(create.json.message).toContain("read-only");
  });
});
