import { z } from "zod";

/**
 * Field types of MLflow request messages, accepting every spelling the stock client
 * (and MLflow's JSON parser) accepts: i64 as number or numeric string, doubles as
 * numbers or "NaN"/"Infinity"/"-Infinity", bools as `True`/`False` in any case,
 * enums by name or by proto number.
 */
const INTEGER_TEXT = /^-?\d+$/;

export const str = () => z.string();

/** An i64 from a JSON integer or a numeric string; undefined for anything else. */
export function asI64(v: unknown): number | undefined {
  // Beyond 2^53 a JS number is no longer an exact integer (and SQLite would get a REAL).
  const n = typeof v === "number" ? v : typeof v === "string" && INTEGER_TEXT.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** A double from a JSON number, a numeric string or "NaN"/"Infinity"/"-Infinity"; undefined otherwise. */
export function asDouble(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  if (v in NON_FINITE) return NON_FINITE[v];
  const n = Number(v);
  return v.trim() !== "" && !Number.isNaN(n) ? n : undefined;
}

export const i64 = () => z.preprocess((v) => asI64(v) ?? v, z.number().int().safe());

export const double = () => z.preprocess((v) => asDouble(v) ?? v, z.union([z.number(), z.nan()]));

export const bool = () =>
  z.preprocess((v) => {
    if (typeof v !== "string") return v;
    const lower = v.toLowerCase();
    return lower === "true" ? true : lower === "false" ? false : v;
  }, z.boolean());

/** Proto enum: `values[i]` has proto number `i + 1` (true of every enum MLflow's REST API uses). */
export const protoEnum = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess(
    (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= values.length ? values[v - 1] : v),
    z.enum(values),
  );

export const list = <T extends z.ZodTypeAny>(item: T) => z.array(item);

export const keyValue = () => z.object({ key: z.string().optional(), value: z.string().optional() });

export const VIEW_TYPES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
