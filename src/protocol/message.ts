import { z } from "zod";
import { invalidParameter } from "./errors";

type Shape = Record<string, z.ZodTypeAny>;
type Out<S extends Shape, R extends keyof S> = { [K in keyof S]?: z.output<S[K]> } & {
  [K in R]-?: NonNullable<z.output<S[K]>>;
};

/**
 * A request message: its fields, which of them are required, and which are repeated
 * (a repeated field arrives as repeated query keys on GET).
 *
 * @example
 * const GetRun = message({ run_id: str(), run_uuid: str() });
 * const req = GetRun.parse({ run_id: "abc" });
 */
export class Message<S extends Shape, R extends keyof S & string = never> {
  private readonly schema: z.ZodObject<Shape>;
  readonly repeated: ReadonlySet<string>;

  constructor(
    readonly shape: S,
    readonly required: readonly R[],
  ) {
    const optional: Shape = {};
    for (const [k, v] of Object.entries(shape)) optional[k] = v.optional();
    this.schema = z.object(optional);
    this.repeated = new Set(Object.keys(shape).filter((k) => shape[k] instanceof z.ZodArray));
  }

  /** Validates a decoded object the way MLflow's handlers do: required first, then types. */
  parse(raw: Record<string, unknown>): Out<S, R> {
    const input: Record<string, unknown> = {};
    for (const k of Object.keys(this.shape)) if (raw[k] !== null && raw[k] !== undefined) input[k] = raw[k];
    for (const k of this.required) {
      if (input[k] === undefined || input[k] === "") throw missingParameter(k);
    }
    const result = this.schema.safeParse(input);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = String(issue.path[0]);
      throw invalidParameter(
        `Invalid value ${JSON.stringify(input[field])} for parameter '${issue.path.join(".")}' supplied: ${issue.message}. See the API docs for more information about request parameters.`,
      );
    }
    return result.data as Out<S, R>;
  }
}

export function message<S extends Shape, R extends keyof S & string = never>(shape: S, required: readonly R[] = []) {
  return new Message(shape, required);
}

export function missingParameter(field: string) {
  return invalidParameter(
    `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
  );
}
