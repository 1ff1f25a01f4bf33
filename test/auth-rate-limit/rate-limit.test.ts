import { describe, expect, it } from "vitest";
import { asAdmin, basic, bearer, send, uniqueName } from "../auth/helpers";

// This project's Worker allows 3 requests per credential per minute (vitest.config.ts).
const LIMIT = 3;
const current = (auth: string) => send("GET", "/api/2.0/mlflow/users/current", { auth });

describe("rate limits per credential", () => {
  it("answer 429 with Retry-After once a token is over its limit, without touching other credentials", async () => {
    const username = uniqueName("limited");
    await asAdmin("POST", "/mlflow/users/create", { username, password: "pw-limited" });
    const { secret } = await asAdmin("POST", "/mlflare/tokens/create", { username });
    for (let i = 0; i < LIMIT; i++) expect((await current(bearer(secret))).status).toBe(200);
    const over = await current(bearer(secret));
    expect(over.status).toBe(429);
    expect(over.res.headers.get("Retry-After")).toBe("60");
    expect(over.json.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
    // Another credential of the same user has its own budget.
    expect((await current(basic(username, "pw-limited"))).status).toBe(200);
  });

  it("count password attempts per user name, so guessing is limited too", async () => {
    const username = uniqueName("guessed");
    for (let i = 0; i < LIMIT; i++) expect((await current(basic(username, `guess-${i}`))).status).toBe(401);
    expect((await current(basic(username, "another-guess"))).status).toBe(429);
  });
});
