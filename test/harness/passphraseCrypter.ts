import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * Encrypts secret values of the runner's state file with a key derived from a passphrase, the way
 * Pulumi's passphrase secrets provider protects a local-backend checkpoint: AES-256-GCM per value,
 * `v1:<nonce>:<ciphertext+tag>` text, a salt stored in the state file, and an encrypted check value
 * so a wrong passphrase is reported instead of producing garbage. (Pulumi derives its key with
 * PBKDF2; this runner uses scrypt. The state files are not interchangeable, nor meant to be.)
 */
export class PassphraseCrypter {
  private constructor(
    private readonly key: Buffer,
    /** What the state file stores to re-derive and verify the key. */
    readonly params: EncryptionParams,
  ) {}

  /** A crypter for a new state file (fresh salt). */
  static create(passphrase: string): PassphraseCrypter {
    const salt = randomBytes(16).toString("base64");
    const key = deriveKey(passphrase, salt);
    const params: EncryptionParams = { kdf: "scrypt", N: SCRYPT_N, r: 8, p: 1, salt, check: "" };
    const crypter = new PassphraseCrypter(key, params);
    params.check = crypter.encrypt(CHECK_TEXT);
    return crypter;
  }

  /** A crypter for an existing state file; throws when the passphrase is not the one used before. */
  static open(passphrase: string, params: EncryptionParams): PassphraseCrypter {
    const key = deriveKey(passphrase, params.salt, params.N, params.r, params.p);
    const crypter = new PassphraseCrypter(key, params);
    let ok = false;
    try {
      ok = crypter.decrypt(params.check) === CHECK_TEXT;
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new Error(
        "incorrect passphrase: PULUMI_CONFIG_PASSPHRASE does not decrypt the secrets of this state file (it was written with another passphrase)",
      );
    }
    return crypter;
  }

  encrypt(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${body.toString("base64")}`;
  }

  decrypt(ciphertext: string): string {
    const [version, nonceB64, bodyB64] = ciphertext.split(":");
    if (version !== "v1" || !nonceB64 || !bodyB64) throw new Error("malformed ciphertext in state file");
    const body = Buffer.from(bodyB64, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonceB64, "base64"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  }
}

/** Key-derivation parameters and passphrase check, stored in the state file (not secret). */
export interface EncryptionParams {
  kdf: "scrypt";
  N: number;
  r: number;
  p: number;
  /** base64 salt. */
  salt: string;
  /** A known text encrypted with the derived key. */
  check: string;
}

// 16 MiB of memory per derivation: costly to brute-force, about 0.1 s per run.
const SCRYPT_N = 1 << 14;
const CHECK_TEXT = "pulumi-csp-local-runner";

function deriveKey(passphrase: string, salt: string, N = SCRYPT_N, r = 8, p = 1): Buffer {
  return scryptSync(passphrase, Buffer.from(salt, "base64"), 32, { N, r, p, maxmem: 256 * N * r });
}

/**
 * The passphrase from the environment, as the Pulumi CLI reads it: `PULUMI_CONFIG_PASSPHRASE`
 * (an empty value counts as set) or the file named by `PULUMI_CONFIG_PASSPHRASE_FILE`.
 */
export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file) return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  return undefined;
}
