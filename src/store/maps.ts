/**
 * The value `map` holds under `key`, first storing `make()` there when it holds none:
 * how rows are grouped by key.
 *
 * @example
 * getOrInsert(byTrace, span.traceId, () => []).push(span);
 */
export function getOrInsert<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
