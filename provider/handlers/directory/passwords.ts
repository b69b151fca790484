import { randomInt } from "node:crypto";

/**
 * Password rules and generation for customer users.
 *
 * Microsoft Entra ID rule (documented for cloud users): 8 to 256 characters, printable ASCII
 * (letters, digits, symbols and space), at least three of: lower case, upper case, digits,
 * symbols. Passwords are secrets: they are never logged, never part of an error message.
 */

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
// Symbols that survive shells, URLs and JSON without escaping surprises.
const SYMBOLS = "!#%*+-=?@^_~";

/** Why `password` breaks the Entra ID password rule, or `undefined` when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8 || password.length > 256) return "must be 8 to 256 characters long";
  if (!/^[\x20-\x7e]+$/.test(password)) return "must use printable ASCII characters only";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return "must contain at least three of: lower case, upper case, digits, symbols";
  return undefined;
}

/** A strong random password (24 characters, every character class), from the OS CSPRNG. */
export function generatePassword(length = 24): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(all));
  // Fisher-Yates so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}
