import type { CspApi } from "../../clients/cspApi";
import {
  deleteSandboxCustomer,
  findCustomersByDomain,
  getBillingProfile,
  getCustomer,
  putBillingProfile,
  removeResellerRelationship,
} from "../../clients/partnerCenter/customers";
import { hasServiceCode } from "../../errors";
import { containsUnknown, jsonEqual, stripUndefined } from "../common";
import type { ResourceHandler } from "../types";
import { isUnknown } from "../types";
import { type BillingProfileState, billingProfileFromPc, mergeIntoPcProfile } from "./billingProfile";
import { createCustomerResource } from "./customerCreate";
import { findDefaultGdapRelationship } from "./customerDefaultGdap";
import {
  CANNOT_REPLACE,
  type CustomerInputs,
  type CustomerOutputs,
  checkCustomer,
  fullDomain,
} from "./customerInputs";
import { deletionMode, describeDeletion, desiredProfile, inputsOnly, outputsFrom } from "./customerState";
import { providerRefusal } from "./errors";

/**
 * Customer: a Partner Center customer (a new Entra tenant with a reseller relationship), or an
 * existing one adopted explicitly ("Create a customer",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer).
 *
 * Identity and money rules:
 * - The resource id is the customer id (= the customer's tenant id).
 * - Create is safe to retry: `MS-RequestId` is derived from the account, the domain and the request
 *   body (see `createKey`), reused by the pipeline after a lost response and by a re-run after a
 *   crash; before a fresh create the domain is checked (`HEAD /v1/domains`, the answer of its check) and looked up among the
 *   partner's customers, so an existing customer is found instead of created twice. An answer is
 *   recorded only once it names a live customer (`createLive`).
 * - Domain, company name, registration number, reseller and account never change: a customer
 *   tenant cannot be replaced, so `check`/`diff` refuse with a message instead of planning a
 *   replacement.
 * - Delete: in an integration sandbox the tenant is deleted (unless adopted or `onDelete` says
 *   otherwise); in production the default leaves the tenant, `onDelete: "removeRelationship"`
 *   removes the reseller relationship. The output `deletionBehavior` says which, before any delete.
 * - The create always says whether Partner Center grants the Default GDAP relationship
 *   (`enableGdapByDefault`, false unless declared); see customerDefaultGdap.ts.
 */

export {
  CUSTOMER_TYPE,
  type CustomerInputs,
  type CustomerOnDelete,
  type CustomerOutputs,
  fullDomain,
} from "./customerInputs";

/** GET for the current ETag, PUT with If-Match; one more round when the ETag went stale (2055). */
async function applyBillingProfile(
  api: CspApi,
  customerId: string,
  desired: BillingProfileState,
): Promise<BillingProfileState> {
  for (let attempt = 0; ; attempt++) {
    const current = await getBillingProfile(api.partnerCenter, customerId);
    const etag = current.attributes?.etag;
    if (!etag) {
      throw providerRefusal(
        `Partner Center returned the billing profile of customer ${customerId} without an ETag`,
        "run the update again; if it persists, report it with the request log",
        "CSP_API_ERROR",
      );
    }
    try {
      const updated = await putBillingProfile(
        api.partnerCenter,
        customerId,
        mergeIntoPcProfile(current, desired),
        etag,
      );
      return billingProfileFromPc(updated) ?? desired;
    } catch (e) {
      if (attempt === 0 && hasServiceCode(e, "2055")) continue;
      throw e;
    }
  }
}

// --- handler ----------------------------------------------------------------------------------

export const customerHandler: ResourceHandler<CustomerInputs, CustomerOutputs> = {
  check: checkCustomer,

  async diff(_id, olds, news, ctx) {
    // Backstop for what check refuses, compared with what Partner Center holds (olds are outputs).
    // Values not known yet (preview) are not compared.
    const domain = isUnknown(news.domainPrefix) ? undefined : fullDomain(news.domainPrefix);
    if (domain && olds.domain && olds.domain.toLowerCase() !== domain) {
      throw providerRefusal(
        `Customer ${olds.customerId}: the domain is ${olds.domain}, the program now says ${domain}`,
        CANNOT_REPLACE,
      );
    }
    if (
      olds.companyName !== undefined &&
      !isUnknown(news.companyName) &&
      olds.companyName !== news.companyName
    ) {
      throw providerRefusal(
        `Customer ${olds.customerId}: Partner Center holds the company name "${olds.companyName}", the program says "${news.companyName}"`,
        `the company profile cannot be changed through Partner Center: set companyName to "${olds.companyName}". ${CANNOT_REPLACE}`,
      );
    }
    for (const key of ["organizationRegistrationNumber", "associatedPartnerId", "account"] as const) {
      if (!isUnknown(news[key]) && (olds[key] ?? "") !== (news[key] ?? "")) {
        throw providerRefusal(
          `Customer ${olds.customerId}: ${key} cannot change from ${JSON.stringify(olds[key] ?? null)} to ${JSON.stringify(news[key] ?? null)}`,
          CANNOT_REPLACE,
        );
      }
    }
    const profileChanged =
      containsUnknown(news.billingProfile) ||
      isUnknown(news.companyName) ||
      !jsonEqual(desiredProfile(news), olds.billingProfile);
    const onDeleteChanged = (olds.onDelete ?? null) !== (news.onDelete ?? null);
    const behavior = describeDeletion(deletionMode(news.onDelete, olds.adopted === true, ctx.config));
    const behaviorChanged = behavior !== olds.deletionBehavior;
    return { changes: profileChanged || onDeleteChanged || behaviorChanged };
  },

  create: createCustomerResource,

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    // 404: deleted; 403 with 20002/900159: the reseller relationship was removed. A customer
    // leaves the state only when its absence is confirmed: a 404 is checked against the partner's
    // customers with its domain before it is dropped.
    const customer = await getCustomer(api.partnerCenter, id)
      .then(async (c) => {
        if (c || !props.domain) return c;
        const found = await findCustomersByDomain(api.partnerCenter, props.domain);
        return found.find((f) => f.id.toLowerCase() === id.toLowerCase());
      })
      .catch((e: unknown) => {
        if (hasServiceCode(e, "20002", "900159")) return undefined;
        throw e;
      });
    if (!customer) {
      ctx.log(
        `Customer ${props.domain ?? id}: no longer a customer of partner account "${api.account}" (deleted, or the reseller relationship was removed); removed from the state`,
      );
      return { id: "" };
    }
    const billing =
      billingProfileFromPc(customer.billingProfile) ??
      billingProfileFromPc(await getBillingProfile(api.partnerCenter, id));
    const defaultGdapRelationshipId =
      props.enableGdapByDefault === true
        ? ((await findDefaultGdapRelationship(api, id, props.domain ?? id, false, ctx)) ??
          props.defaultGdapRelationshipId)
        : undefined;
    const outs = outputsFrom(inputsOnly(props), customer, ctx.config, {
      adopted: props.adopted === true,
      adminUserName: props.adminUserName,
      adminPassword: props.adminPassword,
      defaultGdapRelationshipId,
      ...(billing ? { billingProfile: billing } : {}),
    });
    return { id, props: outs };
  },

  async update(id, olds, news, ctx) {
    const api = ctx.api(news.account);
    const desired = desiredProfile(news);
    let applied = olds.billingProfile;
    if (!jsonEqual(desired, olds.billingProfile)) {
      applied = await applyBillingProfile(api, id, desired);
      ctx.log(`Customer ${olds.domain}: billing profile updated`);
    }
    const adopted = olds.adopted === true;
    const outputs: CustomerOutputs = {
      customerId: olds.customerId,
      domain: olds.domain,
      commerceId: olds.commerceId,
      relationshipToPartner: olds.relationshipToPartner,
      companyName: olds.companyName,
      billingProfile: applied,
      adminUserName: olds.adminUserName,
      adminPassword: olds.adminPassword,
      adopted,
      deletionBehavior: describeDeletion(deletionMode(news.onDelete, adopted, ctx.config)),
      defaultGdapRelationshipId: olds.defaultGdapRelationshipId,
    };
    return { outs: stripUndefined({ ...inputsOnly(news), ...outputs }) };
  },

  async delete(id, props, ctx) {
    const mode = deletionMode(props.onDelete, props.adopted === true, ctx.config);
    const name = props.domain ?? id;
    const api = ctx.api(props.account);
    switch (mode) {
      case "deleteTenant": {
        const result = await deleteSandboxCustomer(api.partnerCenter, id);
        ctx.log(
          result === "deleted"
            ? `Customer ${name}: deleted the customer tenant ${id} (integration sandbox)`
            : `Customer ${name}: the customer ${id} was already gone`,
        );
        return;
      }
      case "removeRelationship":
        try {
          await removeResellerRelationship(api.partnerCenter, id);
        } catch (e) {
          if (!hasServiceCode(e, "20002", "900159")) throw e;
          ctx.log(`Customer ${name}: the reseller relationship with customer ${id} was already removed`);
          return;
        }
        ctx.log(`Customer ${name}: removed the reseller relationship with customer ${id}; the tenant stays`);
        return;
      case "leave":
        ctx.log(
          `Customer ${name}: left in Partner Center (customer ${id}): the tenant and the reseller relationship stay; this stack no longer manages it`,
        );
        return;
    }
  },
};
