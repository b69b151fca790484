import { getCustomer } from "../../clients/partnerCenter/customers";
import type { CustomerUserInputs } from "../customerUser";
import type { CheckFailure, HandlerContext } from "../types";

/** The check of a CustomerUser's user principal name: its domain must be one of the customer's domains. */

export async function checkDomain(
  inputs: CustomerUserInputs,
  ctx: HandlerContext,
): Promise<CheckFailure | undefined> {
  const customer = await getCustomer(ctx.api(inputs.account).partnerCenter, inputs.customerId);
  if (!customer) {
    return {
      property: "customerId",
      reason: `customerId: customer ${inputs.customerId} was not found for this partner account; check the id (the customer's tenant id) and the account`,
    };
  }
  const domains = customerDomains(customer);
  const domain = inputs.userPrincipalName.split("@")[1]!.toLowerCase();
  if (domains.length > 0 && !domains.includes(domain)) {
    return {
      property: "userPrincipalName",
      reason: `userPrincipalName: the domain "${domain}" is not a domain of customer ${inputs.customerId} (its domains: ${domains.join(", ")})`,
    };
  }
  return undefined;
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
