/**
 * An error code from an HTTP reason phrase, as the server passes them for injected faults:
 * `Too Many Requests` → `TooManyRequests`. Codes without spaces are returned unchanged.
 */
export function errorCode(code: string): string {
  return code.replace(/\s+(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());
}
