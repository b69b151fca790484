import { scrub } from "../provider/errors";

/**
 * Removes secrets from text about to be printed: every known secret value (client secret,
 * refresh token, tokens this process obtained) and anything shaped like a JWT or bearer token.
 * A second line of defence: the CLI never puts secrets into its messages in the first place.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  return scrub(out);
}
