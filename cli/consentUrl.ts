import { randomBytes } from "node:crypto";
import { accountVariableNames } from "../provider/config";
import { adminConsentUrl } from "./adminConsentUrl";
import type { CliIo } from "./cliIo";
import { loadCliConfig } from "./loadCliConfig";
import { booleanFlag, parseCommandArgs, stringFlag } from "./parseCommandArgs";
import { UsageError } from "./usageError";

export const CONSENT_URL_USAGE = `usage: pulumi-csp consent-url --customer TENANT_ID|DOMAIN [--redirect-uri URI] [--state TEXT]
                              [--account NAME] [--client-id ID] [--stack NAME] [--no-stack]

Prints the admin-consent URL of the partner app for a customer tenant, for onboarding emails: a
Global Administrator of the customer who opens it grants the app its declared permissions there
(the step customers or the partner perform for control-panel-vendor apps). Entra then redirects to
--redirect-uri with admin_consent=True&tenant=...&state=... (or error=...).

  --customer TENANT_ID|DOMAIN  customer tenant (id or verified domain)
  --redirect-uri URI           where the browser goes afterwards; must be registered on the app
                               (default http://localhost, registered for \`pulumi-csp login\`; a page of
                               yours is friendlier for customers)
  --state TEXT                 value echoed back in the redirect (default: random)
  --account NAME / --client-id ID   whose app (default: the account's CSP_CLIENT_ID)`;

const OPTIONS = {
  customer: { type: "string" },
  "redirect-uri": { type: "string" },
  state: { type: "string" },
  account: { type: "string" },
  "client-id": { type: "string" },
  stack: { type: "string" },
  "no-stack": { type: "boolean" },
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** `pulumi-csp consent-url`: see {@link CONSENT_URL_USAGE}. Returns the exit code. */
export async function runConsentUrl(args: string[], io: CliIo): Promise<number> {
  const { values, help } = parseCommandArgs("consent-url", args, OPTIONS);
  if (help) {
    io.out(`${CONSENT_URL_USAGE}\n`);
    return 0;
  }
  const customer = stringFlag(values, "customer")?.trim();
  if (!customer) throw new UsageError("--customer is required", "consent-url");
  if (!GUID.test(customer) && !DOMAIN.test(customer)) {
    throw new UsageError(
      `--customer must be a tenant id (GUID) or a domain such as contoso.onmicrosoft.com (got "${customer}")`,
      "consent-url",
    );
  }
  const redirectUri = stringFlag(values, "redirect-uri") ?? "http://localhost";
  try {
    const u = new URL(redirectUri);
    if (u.protocol !== "https:" && !(u.protocol === "http:" && u.hostname === "localhost")) {
      throw new Error("scheme");
    }
  } catch {
    throw new UsageError(
      `--redirect-uri must be an https:// URL (or http://localhost) registered on the app (got "${redirectUri}")`,
      "consent-url",
    );
  }
  const accountName = (stringFlag(values, "account") ?? "default").toLowerCase();
  const stack = stringFlag(values, "stack");
  try {
    const { config } = await loadCliConfig(io, {
      useStack: !booleanFlag(values, "no-stack"),
      ...(stack ? { stack } : {}),
    });
    const clientId = stringFlag(values, "client-id") ?? config.accounts[accountName]?.clientId;
    if (!clientId) {
      io.err(
        `pulumi-csp consent-url: no client id for account "${accountName}": pass --client-id or set ${accountVariableNames(accountName).clientId}\n`,
      );
      return 1;
    }
    io.out(
      `${adminConsentUrl({
        login: config.endpoints.login,
        tenant: customer,
        clientId,
        redirectUri,
        state: stringFlag(values, "state") ?? randomBytes(12).toString("base64url"),
      })}\n`,
    );
    if (redirectUri === "http://localhost") {
      io.err(
        "Note: after consenting, the browser is sent to http://localhost, which shows an error page on the customer's machine; the consent is done anyway. Pass --redirect-uri with a page of yours registered on the app for a friendlier ending.\n",
      );
    }
    return 0;
  } catch (e) {
    io.err(`pulumi-csp consent-url: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
