// Lookups keyed by text from outside (Slack payloads, command words, OpenTrain ids, the store file) must never reach
// Object.prototype: `record['__proto__']`, `record['constructor']` or `record['toString']` on a plain object return
// inherited values, and assigning `record['__proto__']` replaces the prototype. These two helpers are the only way
// such records are indexed; fixed keys (a typed union) may still use plain indexing.

/** `record[key]` when `key` is the record's own property, else undefined (never an inherited member). */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `record[key] = value` as an own property, also for `__proto__` (plain assignment would set the prototype). */
export function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
