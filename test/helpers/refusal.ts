import { expect } from "vitest";
import { MlflowError } from "../../src/protocol/errors";

/** The message of the error a call throws, which must be MLflow's 400 INVALID_PARAMETER_VALUE. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MlflowError);
    expect((err as MlflowError).code).toBe("INVALID_PARAMETER_VALUE");
    expect((err as MlflowError).status).toBe(400);
    return (err as MlflowError).message;
  }
  throw new Error("expected a refusal");
}
