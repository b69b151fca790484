import { createHash } from "node:crypto";

/** SHA-256 (hex) of a secret: how the emulator's state keeps passwords, client secrets and refresh tokens. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
