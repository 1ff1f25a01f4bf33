import { describe, expect, it } from "vitest";
import { refusal } from "../helpers/refusal";
import { experimentFilter, experimentOrder } from "../../src/search/experiments";

describe("experimentFilter", () => {
  it("resolves name, times and tags (with null checks on tags)", () => {
    expect(
      experimentFilter("name ILIKE 'a%' AND attribute.creation_time > 5 AND last_update_time <= 6 AND tags.t != 'x' AND tag.`k k` IS NULL AND tags.u IS NOT NULL"),
    ).toEqual([
      { kind: "name", test: { op: "ILIKE", value: "a%" } },
      { kind: "time", name: "creation_time", test: { op: ">", value: 5 } },
      { kind: "time", name: "last_update_time", test: { op: "<=", value: 6 } },
      { kind: "tag", key: "t", test: { op: "!=", value: "x" } },
      { kind: "tagPresence", key: "k k", present: false },
      { kind: "tagPresence", key: "u", present: true },
    ]);
  });

  it.each([
    ["attr.name = 'a'", /^Invalid entity type 'attr'/],
    ["params.p = 'a'", /^Invalid entity type 'params'/],
    ["experiment_id = '1'", /^Invalid attribute key 'experiment_id'/],
    ["name IS NULL", /only supported for tags/],
    ["name > 'a'", /^Invalid comparator '>'/],
    ["name IN ('a')", /^Only the 'run_id' attribute/],
    ["name = 1", /^Expected a quoted string value for attributes/],
    ["name = a", /^Parameter value is either not quoted/],
    ["creation_time = '1'", /^Expected numeric value type for numeric attribute: creation_time/],
    ["creation_time LIKE 1", /^Invalid comparator 'LIKE'/],
    ["tags.t = 1", /^Expected a quoted string value for tag/],
    ["tags.t < 'a'", /^Invalid comparator '<'/],
    ["name = 'a' OR name = 'b'", /^Invalid clause\(s\) in filter string/],
  ])("refuses %s", (filter, message) => {
    expect(refusal(() => experimentFilter(filter))).toMatch(message);
  });
});

describe("experimentOrder", () => {
  it("defaults to creation_time DESC, experiment_id ASC", () => {
    const expected = [
      { key: "creation_time", ascending: false },
      { key: "experiment_id", ascending: true },
    ];
    expect(experimentOrder(undefined)).toEqual(expected);
    expect(experimentOrder([])).toEqual(expected);
  });

  it("adds experiment_id DESC as tie-break unless the order names it", () => {
    expect(experimentOrder(["name"])).toEqual([
      { key: "name", ascending: true },
      { key: "experiment_id", ascending: false },
    ]);
    expect(experimentOrder(["last_update_time DESC", "experiment_id"])).toEqual([
      { key: "last_update_time", ascending: false },
      { key: "experiment_id", ascending: true },
    ]);
  });

  it.each([
    [["foo DESC"], /^Invalid attribute key 'foo'/],
    [["tags.team"], /^Invalid order_by entity: tag/],
    [["name SIDEWAYS"], /^Invalid ordering key/],
  ])("refuses %j", (orderBy, message) => {
    expect(refusal(() => experimentOrder(orderBy))).toMatch(message);
  });
});
