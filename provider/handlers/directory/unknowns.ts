import { containsUnknown } from "../common";

/** The keys among `keys` whose new value is not known yet. */
export function unknownKeys<T extends object>(news: T, keys: readonly (keyof T & string)[]): string[] {
  return keys.filter((k) => containsUnknown(news[k]));
}
