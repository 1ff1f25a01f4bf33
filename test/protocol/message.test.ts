import { describe, expect, it } from "vitest";
import { MlflowError } from "../../src/protocol/errors";
import { bool, double, i64, keyValue, list, protoEnum, RUN_STATUSES, str } from "../../src/protocol/fields";
import { message } from "../../src/protocol/message";

const Msg = message(
  { name: str(), count: i64(), ratio: double(), flag: bool(), status: protoEnum(RUN_STATUSES), ids: list(str()), tags: list(keyValue()) },
  ["name"],
);

const invalid = (raw: Record<string, unknown>) => {
  try {
    Msg.parse(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(MlflowError);
    return (err as MlflowError).code;
  }
  return "accepted";
};

describe("request messages", () => {
  it("knows its repeated fields, which GET reads as repeated query keys", () => {
    expect([...Msg.repeated].sort()).toEqual(["ids", "tags"]);
  });

  it("requires required fields to be present and non-empty", () => {
    expect(invalid({})).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "" })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: null })).toBe("INVALID_PARAMETER_VALUE");
    expect(Msg.parse({ name: "x" })).toEqual({ name: "x" });
  });

  it("accepts i64 as numbers or numeric strings, nothing else", () => {
    expect(Msg.parse({ name: "x", count: "42" }).count).toBe(42);
    expect(Msg.parse({ name: "x", count: -7 }).count).toBe(-7);
    expect(invalid({ name: "x", count: "abc" })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "x", count: 1.5 })).toBe("INVALID_PARAMETER_VALUE");
  });

  it("accepts doubles as numbers, numeric strings and NaN/±Infinity strings", () => {
    expect(Msg.parse({ name: "x", ratio: "NaN" }).ratio).toBeNaN();
    expect(Msg.parse({ name: "x", ratio: "Infinity" }).ratio).toBe(Infinity);
    expect(Msg.parse({ name: "x", ratio: "-Infinity" }).ratio).toBe(-Infinity);
    expect(Msg.parse({ name: "x", ratio: "0.5" }).ratio).toBe(0.5);
    expect(invalid({ name: "x", ratio: "abc" })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "x", ratio: true })).toBe("INVALID_PARAMETER_VALUE");
  });

  it("accepts Python's True/False in any case for bools", () => {
    expect(Msg.parse({ name: "x", flag: "True" }).flag).toBe(true);
    expect(Msg.parse({ name: "x", flag: "false" }).flag).toBe(false);
    expect(Msg.parse({ name: "x", flag: true }).flag).toBe(true);
    expect(invalid({ name: "x", flag: "yes" })).toBe("INVALID_PARAMETER_VALUE");
  });

  it("accepts enums by name or proto number", () => {
    expect(Msg.parse({ name: "x", status: "FINISHED" }).status).toBe("FINISHED");
    expect(Msg.parse({ name: "x", status: 3 }).status).toBe("FINISHED");
    expect(invalid({ name: "x", status: "EXPLODED" })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "x", status: 42 })).toBe("INVALID_PARAMETER_VALUE");
  });

  it("refuses wrong types and ignores unknown fields", () => {
    expect(invalid({ name: 123 })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "x", tags: "notalist" })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "x", tags: { a: "b" } })).toBe("INVALID_PARAMETER_VALUE");
    expect(invalid({ name: "x", ids: "1" })).toBe("INVALID_PARAMETER_VALUE");
    expect(Msg.parse({ name: "x", unknown: 1, tags: [{ key: "k", value: "v", extra: 1 }] })).toEqual({ name: "x", tags: [{ key: "k", value: "v" }] });
  });
});
