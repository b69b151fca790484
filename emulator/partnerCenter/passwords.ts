import { randomInt } from "node:crypto";

/**
 * Passwords of customer users. The emulator keeps only their SHA-256 (`hashSecret`); a generated
 * admin password is returned once, in the create-customer answer.
 */

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
const SYMBOLS = "!#$%&*+-.=?@^_";

/** A random 16-character password satisfying the Entra ID complexity policy. */
export function generatePassword(): string {
  const pick = (set: string) => set[randomInt(set.length)];
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  while (chars.length < 16) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/**
 * The Entra ID password policy for cloud users: 8 to 256 characters, at least three of the four
 * character classes (upper case, lower case, digits, symbols).
 */
export function satisfiesPasswordPolicy(password: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return classes >= 3;
}
