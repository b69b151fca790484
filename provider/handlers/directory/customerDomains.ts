import { readCustomer } from "../commerce/processFacts";
import { refusal } from "../common";
import type { CheckFailure, HandlerContext } from "../types";
import type { CustomerUserInputs } from "./customerUser";

/**
 * The check of a CustomerUser's user principal name: its domain must be one of the customer's
 * domains ("Get a customer by ID",
 * https://learn.microsoft.com/partner-center/developer/get-a-customer-by-id: `companyProfile.domain`
 * and the customer's domains). The domains are read once per process and customer: every user of
 * a customer is checked against the same answer, and a customer's domains do not change while one
 * `pulumi` command runs ([U] a domain added in the portal during the run is seen by the next run).
 * A customer not found is not remembered (it may be created later in the same run).
 */

export async function checkDomain(
  inputs: CustomerUserInputs,
  ctx: HandlerContext,
): Promise<CheckFailure | undefined> {
  const domains = await customerDomainsOf(ctx, inputs.account, inputs.customerId);
  if (!domains) {
    return refusal(
      "customerId",
      "was not found for this partner account; check the id (the customer's tenant id) and the account",
      inputs.customerId,
    );
  }
  const domain = inputs.userPrincipalName.split("@")[1]!.toLowerCase();
  if (domains.length > 0 && !domains.includes(domain)) {
    return refusal(
      "userPrincipalName",
      `its domain "${domain}" is not a domain of customer ${inputs.customerId} (its domains: ${domains.join(", ")})`,
      inputs.userPrincipalName,
    );
  }
  return undefined;
}

/** The customer's domains, lower case; `undefined` when Partner Center does not know the customer. */
async function customerDomainsOf(
  ctx: HandlerContext,
  account: string | undefined,
  customerId: string,
): Promise<string[] | undefined> {
  const api = ctx.api(account);
  const key = `customerDomains:${customerId.toLowerCase()}`;
  const domains = await api.memo.get(key, async () => {
    // The record the Customer's own create just read, when it is fresh (processFacts.ts).
    const customer = await readCustomer(api, customerId);
    return customer ? customerDomains(customer) : undefined;
  });
  if (!domains) api.memo.forget(key);
  return domains;
}

function customerDomains(customer: {
  companyProfile?: { domain?: string };
  customDomains?: string[];
}): string[] {
  const all = [customer.companyProfile?.domain, ...(customer.customDomains ?? [])]
    .filter((d): d is string => typeof d === "string" && d.length > 0)
    .map((d) => d.toLowerCase());
  return [...new Set(all)];
}
