import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorState } from "../emulator/index";

/** A secret whose plain value the test knows (seeded credentials, values decrypted from the state). */
export interface KnownSecret {
  /** What it is, e.g. `client secret` or `Customer contoso-customer adminPassword`. */
  name: string;
  value: string;
}

/** One secret found in plain text. */
export interface SecretLeak {
  /** File (or label of an in-memory text) it was found in. */
  source: string;
  what: string;
  /** Where in the text (character offset). */
  at: number;
}

/**
 * Every secret the emulator keeps as a SHA-256 hash, by hash: refresh tokens (the seed and every
 * rotated one), authorization codes, the passwords of all users (customer admins, customer users)
 * and the client secrets of all applications (the partner app, app registrations). A text that
 * contains a string with one of these hashes contains that secret, whether or not the test ever
 * saw its value.
 */
export function emulatorSecretHashes(state: EmulatorState): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const h of Object.keys(state.identity.refreshTokens)) hashes.set(h, "refresh token");
  for (const h of Object.keys(state.identity.authorizationCodes)) hashes.set(h, "authorization code");
  for (const tenant of Object.values(state.directory)) {
    for (const u of Object.values(tenant.users)) {
      if (u.passwordHash) hashes.set(u.passwordHash, `password of ${u.userPrincipalName}`);
    }
    for (const a of Object.values(tenant.applications)) {
      for (const c of a.passwordCredentials) hashes.set(c.secretHash, `client secret of ${a.displayName}`);
    }
  }
  return hashes;
}

// Characters of generated passwords, client secrets and refresh tokens; anything else (quotes,
// colons, commas, braces, spaces, slashes) ends a candidate.
const CANDIDATE_RUN = /[A-Za-z0-9!#$%&*+\-.=?@^_~]{8,}/g;
// Base64url JSON ("eyJ" = `{"`), alone or as the first of dot-separated segments (a JWT).
const BASE64_JSON = /eyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

/**
 * Whether a base64url JSON segment is (part of) a token: a JWT header (`alg`/`typ`) or claims
 * (`aud`, `exp`, `iss`...). Other base64 JSON is not secret: MSAL's `client_info` (`{"uid","utid"}`,
 * object ids) and Partner Center etags (`{"id","version"}`).
 */
function isTokenPart(segment: string): boolean {
  try {
    const json = JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as Record<string, unknown>;
    return ["alg", "typ", "aud", "exp", "iss", "scp", "roles"].some((k) => k in json);
  } catch {
    // Not complete JSON (cut off): judge by the keys visible at its start.
    const head = Buffer.from(segment.slice(0, 40), "base64url").toString("utf8");
    return /"(alg|typ|aud|exp|iss)"/.test(head);
  }
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** The text with `%XX` escapes decoded where they form valid UTF-8 (form bodies, query strings). */
function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

/** Forms a known secret may take in a file: plain, JSON-escaped, URL-encoded, base64. */
function variants(value: string): string[] {
  return [
    ...new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      Buffer.from(value).toString("base64"),
    ]),
  ];
}

/**
 * Looks for secrets in `text`: known plain values (in their usual encodings), access tokens
 * (JWTs), and any substring of a secret's length whose SHA-256 is one of `hashes`.
 */
export function scanText(
  source: string,
  text: string,
  known: KnownSecret[],
  hashes: Map<string, string>,
): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const k of known) {
    if (k.value.length < 8) continue;
    for (const v of variants(k.value)) {
      const at = text.indexOf(v);
      if (at >= 0) {
        leaks.push({ source, what: k.name, at });
        break;
      }
    }
  }
  for (const m of text.matchAll(BASE64_JSON)) {
    const parts = m[0].split(".");
    if (
      (parts.length === 3 && parts[1].length > 0) ||
      parts.some((p) => p.startsWith("eyJ") && isTokenPart(p))
    ) {
      leaks.push({ source, what: `access token or JWT (${m[0].slice(0, 12)}…)`, at: m.index ?? 0 });
    }
  }
  // Secret lengths: generated passwords 16 (Partner Center) and 24 (provider), client secrets
  // 40, refresh tokens and authorization codes 67; plus the lengths of the known values.
  const lengths = new Set([16, 24, 40, 67, ...known.map((k) => k.value.length)]);
  const seen = new Set<string>();
  for (const body of [text, percentDecoded(text)]) {
    for (const run of body.matchAll(CANDIDATE_RUN)) {
      const s = run[0];
      for (const len of lengths) {
        for (let i = 0; i + len <= s.length; i++) {
          const candidate = s.slice(i, i + len);
          const what = hashes.get(sha256(candidate));
          if (what && !seen.has(candidate)) {
            seen.add(candidate);
            leaks.push({ source, what, at: (run.index ?? 0) + i });
          }
        }
      }
    }
  }
  return leaks;
}

/** Every regular file under `dir` (recursively; symbolic links are not followed). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Scans every file under `dir`; returns the leaks and how many files and bytes were read. */
export function scanFiles(
  dir: string,
  known: KnownSecret[],
  hashes: Map<string, string>,
): { leaks: SecretLeak[]; files: number; bytes: number } {
  const files = filesUnder(dir);
  const leaks: SecretLeak[] = [];
  let bytes = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    bytes += Buffer.byteLength(text);
    leaks.push(...scanText(path.relative(dir, f), text, known, hashes));
  }
  return { leaks, files: files.length, bytes };
}
