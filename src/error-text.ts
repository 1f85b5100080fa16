/**
 * An error as one short line of text, for logs and for wrapping into a sentence: the message of an Error, else the
 * value itself. What a reviewer reads about an OpenTrain failure comes from `describeError` (src/api/) instead.
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
