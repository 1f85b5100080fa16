/**
 * A pattern matching exactly these ids, for one Bolt listener per kind that dispatches through a map
 * (docs/slack.md#one-listener-per-kind): an id not in the map matches nothing, as if it had no listener.
 */
export function exactly(ids: Iterable<string>): RegExp {
  const escaped = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?:${escaped.join('|')})$`);
}
