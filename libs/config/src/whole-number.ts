/**
 * `key` read with `get` as a whole number of at least `min` (`fallback` when unset). A bad value
 * pushes `<key> must be <rule>, got "<text>"` onto `problems` and yields the fallback.
 */
export function wholeNumber(
  get: (key: string) => string | undefined,
  problems: string[],
  key: string,
  { fallback, min, rule }: { fallback: number; min: number; rule: string },
): number {
  const text = get(key) ?? String(fallback);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    problems.push(`${key} must be ${rule}, got "${text}"`);
    return fallback;
  }
  return value;
}
