import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const KEY_FILE = "token-signing-key.pem";

/** Result of verifying a JWT. */
export type VerifyResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/** A JSON Web Key as published by the emulator's `discovery/v2.0/keys` endpoint. */
export interface PublishedJwk {
  kty: string;
  use: string;
  kid: string;
  x5t: string;
  n: string;
  e: string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/**
 * Signs and verifies the emulator's JWTs (RS256, like Entra ID). One RSA key per data directory
 * (so tokens stay valid across restarts), or one per process when there is none.
 */
export class TokenSigner {
  readonly kid: string;
  private readonly publicKey: KeyObject;
  private readonly header: string;
  /** Verified signatures are cached: the same token is presented many times by a client. */
  private readonly verified = new Map<string, Record<string, unknown>>();

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    const der = this.publicKey.export({ format: "der", type: "spki" });
    this.kid = base64url(createHash("sha1").update(der).digest());
    this.header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: this.kid, x5t: this.kid }));
  }

  /** Loads the key kept in `dataDir`, creating it on first use; without a directory, one key per process. */
  static async load(dataDir?: string): Promise<TokenSigner> {
    if (!dataDir) {
      processSigner ??= generateRsaKey().then((key) => new TokenSigner(key));
      return processSigner;
    }
    const path = join(dataDir, KEY_FILE);
    try {
      return new TokenSigner(createPrivateKey(readFileSync(path, "utf8")));
    } catch {
      const key = await generateRsaKey();
      writeFileSync(path, key.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
      return new TokenSigner(key);
    }
  }

  /** Compact JWS of `claims`. */
  sign(claims: Record<string, unknown>): string {
    const input = `${this.header}.${base64url(JSON.stringify(claims))}`;
    const signature = sign("RSA-SHA256", Buffer.from(input), this.privateKey);
    return `${input}.${base64url(signature)}`;
  }

  /**
   * Verifies signature and lifetime (`nbf`/`exp` against `nowSeconds`, the emulator's clock, with
   * Entra's five minutes of clock skew on `nbf` only).
   */
  verify(token: string, nowSeconds: number): VerifyResult {
    let claims = this.verified.get(token);
    if (!claims) {
      const parts = token.split(".");
      if (parts.length !== 3) return { ok: false, reason: "malformed token" };
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
        claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
      } catch {
        return { ok: false, reason: "malformed token" };
      }
      if (header.alg !== "RS256" || header.kid !== this.kid) {
        return { ok: false, reason: "signature key not recognised" };
      }
      const valid = verify(
        "RSA-SHA256",
        Buffer.from(`${parts[0]}.${parts[1]}`),
        this.publicKey,
        Buffer.from(parts[2], "base64url"),
      );
      if (!valid || !claims || typeof claims !== "object") return { ok: false, reason: "invalid signature" };
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    const exp = typeof claims.exp === "number" ? claims.exp : 0;
    const nbf = typeof claims.nbf === "number" ? claims.nbf : 0;
    if (nowSeconds >= exp) return { ok: false, reason: "token expired" };
    if (nowSeconds + 300 < nbf) return { ok: false, reason: "token not yet valid" };
    return { ok: true, claims };
  }

  /** The public key as a JWKS entry (Entra publishes `kty`, `use`, `kid`, `x5t`, `n`, `e`). */
  jwk(): PublishedJwk {
    const jwk = this.publicKey.export({ format: "jwk" });
    return { kty: "RSA", use: "sig", kid: this.kid, x5t: this.kid, n: String(jwk.n), e: String(jwk.e) };
  }
}

let processSigner: Promise<TokenSigner> | undefined;

function generateRsaKey(): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, _publicKey, privateKey) => {
      if (err) reject(err);
      else resolve(privateKey);
    });
  });
}
