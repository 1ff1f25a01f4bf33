import type { ViewType } from "../protocol/fields";

/**
 * The lifecycle stages a view type selects.
 *
 * @example
 * lifecycleStages("ALL") // ["active", "deleted"]
 */
export function lifecycleStages(viewType: ViewType | undefined): string[] {
  if (viewType === "DELETED_ONLY") return ["deleted"];
  if (viewType === "ALL") return ["active", "deleted"];
  return ["active"];
}
