import type { CspApi } from "../../clients/cspApi";
import {
  createCustomer,
  findCustomersByDomain,
  getCustomer,
  type PcCustomer,
  type PcCustomerCreateRequest,
} from "../../clients/partnerCenter/customers";
import { CspError, isCspError, isLostResponse } from "../../errors";
import { canonicalJson, deterministicUuid, stripUndefined } from "../common";
import type { CreateResult, HandlerContext } from "../types";
import { toPcAddress } from "./billingProfile";
import { findDefaultGdapRelationship } from "./customerDefaultGdap";
import { type CustomerInputs, type CustomerOutputs, fullDomain } from "./customerInputs";
import { actualCompanyName, adminUpn, desiredProfile, outputsFrom } from "./customerState";
import { providerRefusal } from "./errors";
import { accountName } from "./fields";
import { assertActiveReseller } from "./indirectResellers";
import { domainTaken, forgetDomain, markCreatedHere, rememberCustomer } from "./processFacts";

/**
 * The Customer's create paths ("Create a customer",
 * https://learn.microsoft.com/partner-center/developer/create-a-customer): a new customer, an
 * existing one adopted explicitly, and a customer found after a lost create response (or a crash)
 * instead of being created twice.
 */

/** Creates or adopts the customer declared by `inputs`. */
export async function createCustomerResource(
  inputs: CustomerInputs,
  ctx: HandlerContext,
): Promise<CreateResult<CustomerOutputs>> {
  const api = ctx.api(inputs.account);
  if (inputs.adopt) {
    const customer = await findForAdopt(api, inputs);
    ctx.log(
      `Customer ${customer.companyProfile?.domain ?? customer.id}: adopted existing customer ${customer.id}`,
    );
    const outs = outputsFrom(inputs, customer, ctx.config, { adopted: true });
    return { id: customer.id, outs };
  }
  if (inputs.associatedPartnerId) {
    await assertActiveReseller(api, "associatedPartnerId", inputs.associatedPartnerId);
  }
  const customer = await createNew(api, inputs, ctx);
  const domain = customer.companyProfile?.domain ?? fullDomain(inputs.domainPrefix);
  const defaultGdapRelationshipId =
    inputs.enableGdapByDefault === true
      ? await findDefaultGdapRelationship(api, customer.id, domain, true, ctx)
      : undefined;
  const outs = outputsFrom(inputs, customer, ctx.config, {
    adopted: false,
    adminUserName: adminUpn(customer.userCredentials?.userName, domain),
    adminPassword: customer.userCredentials?.password,
    defaultGdapRelationshipId,
  });
  return { id: customer.id, outs };
}

function createRequest(inputs: CustomerInputs): PcCustomerCreateRequest {
  const profile = desiredProfile(inputs);
  return stripUndefined({
    // Always sent: production grants the Default GDAP relationship when the field is omitted.
    enableGDAPByDefault: inputs.enableGdapByDefault === true,
    companyProfile: {
      domain: fullDomain(inputs.domainPrefix),
      companyName: inputs.companyName,
      organizationRegistrationNumber: inputs.organizationRegistrationNumber,
    },
    billingProfile: {
      email: profile.email,
      culture: profile.culture,
      language: profile.language,
      companyName: profile.companyName,
      defaultAddress: toPcAddress(profile.defaultAddress),
    },
    associatedPartnerId: inputs.associatedPartnerId,
  });
}

/** Finds the customer named by `adopt`; refuses when it does not match the declared identity. */
async function findForAdopt(api: CspApi, inputs: CustomerInputs): Promise<PcCustomer> {
  const domain = fullDomain(inputs.domainPrefix);
  const pc = api.partnerCenter;
  let customer: PcCustomer | undefined;
  if (inputs.adopt?.customerId) {
    customer = await getCustomer(pc, inputs.adopt.customerId);
    if (!customer) {
      throw providerRefusal(
        `adopt.customerId ${inputs.adopt.customerId} is not a customer of partner account "${api.account}"`,
        "check the customer id and the account input, or remove adopt to create a new customer",
      );
    }
  } else {
    const found = await findCustomersByDomain(pc, inputs.adopt?.domain ?? domain);
    if (found.length === 0) {
      throw providerRefusal(
        `adopt: no customer with domain ${domain} exists in partner account "${api.account}"`,
        "check domainPrefix and the account input, or remove adopt to create a new customer",
      );
    }
    customer = (await getCustomer(pc, found[0]!.id)) ?? found[0]!;
  }
  const actualDomain = (customer.companyProfile?.domain ?? "").toLowerCase();
  if (actualDomain && actualDomain !== domain) {
    throw providerRefusal(
      `adopt: customer ${customer.id} has the domain ${actualDomain}, but domainPrefix "${inputs.domainPrefix}" means ${domain}`,
      `set domainPrefix to "${actualDomain.replace(/\.onmicrosoft\.com$/, "")}" to adopt this customer`,
    );
  }
  const actualName = actualCompanyName(customer);
  if (actualName !== undefined && actualName !== inputs.companyName) {
    throw providerRefusal(
      `adopt: customer ${customer.id} has the company name "${actualName}", but companyName is "${inputs.companyName}"`,
      `set companyName to "${actualName}": the company profile cannot be changed through Partner Center`,
    );
  }
  return customer;
}

/**
 * The `MS-RequestId` of a customer create. What Microsoft Learn documents: "Create a customer"
 * calls the API idempotent and requires a request id and a correlation id; "Partner Center REST and
 * response headers" (https://learn.microsoft.com/partner-center/developer/headers) says a retry
 * after a timeout carries the same MS-RequestId. What it leaves open [U]: how long the service
 * remembers an id, whether a later run sending it again gets the first answer, and what it answers
 * to a reused id with another body (400 / 800002 in the emulator). So the key is derived from
 * everything that identifies the operation: the account, the domain, and the request body itself
 * (canonical JSON). The same desired customer sends the same key on every run, so a re-run after a
 * crash or a lost answer can replay (and get the initial admin's credentials back), and a changed
 * body (a billing email edited between a destroy and the next up) sends a new key instead of
 * colliding. Nothing depends on the replay: before any create `createNew` looks for the domain
 * (`HEAD /v1/domains`, then the partner's customers), and a customer found there without a replay
 * is refused with the advice to adopt it, never created twice.
 *
 * A key is also remembered after its customer was deleted (integration sandbox: destroy, then
 * declare the same customer again), and answers the dead customer. The next key of the chain is
 * then derived from that customer's id (`previousId`): still deterministic, so a crash anywhere in
 * the chain replays the same sequence rather than duplicating. How long the service remembers a
 * request id is not published [U]; the emulator keeps them a day.
 */
function createKey(account: string, body: PcCustomerCreateRequest, previousId?: string): string {
  const parts = ["customer-create", account, body.companyProfile.domain.toLowerCase(), canonicalJson(body)];
  return deterministicUuid(...parts, ...(previousId ? [previousId.toLowerCase()] : []));
}

/** Creates that answer a dead customer, one after the other, before the chain is given up. */
const MAX_CREATE_CHAIN = 16;

/**
 * Sends the create under `key` and follows the chain of {@link createKey}: an answer is recorded
 * only when it names a live customer with the requested domain; an answer naming a deleted customer
 * (a replay of an earlier create) moves on to the next key. Errors of the create itself propagate.
 */
async function createLive(api: CspApi, body: PcCustomerCreateRequest, key: string): Promise<PcCustomer> {
  const domain = body.companyProfile.domain.toLowerCase();
  for (let link = 0; link < MAX_CREATE_CHAIN; link++) {
    const answered = await createCustomer(api.partnerCenter, body, key);
    const live = await getCustomer(api.partnerCenter, answered.id);
    const liveDomain = (live?.companyProfile?.domain ?? domain).toLowerCase();
    if (live && liveDomain === domain) {
      // What the next resources of this customer read first (processFacts.ts).
      rememberCustomer(api, live);
      return answered;
    }
    key = createKey(api.account, body, answered.id);
  }
  throw new CspError({
    code: "CSP_CONFLICT",
    service: "partnerCenter",
    summary: `Partner Center answered ${MAX_CREATE_CHAIN} creates of the customer ${domain} with customers that no longer exist`,
    hint: "nothing was recorded; wait until Partner Center forgets the earlier request ids (about a day), or change the customer's billing profile so that its create is a new request",
  });
}

/**
 * The domain is held by one of our customers (`existingId`): replays the create with its key. A
 * replay (directly, or further down the chain after deleted customers) naming that customer means
 * an earlier run of this very resource created it and its result was lost. When the service does
 * not know the key (another body, or a customer this program did not create), the create fails
 * because the domain is taken: nothing is created twice, and undefined is returned.
 */
async function replayCreate(
  api: CspApi,
  body: PcCustomerCreateRequest,
  key: string,
  existingId: string,
): Promise<PcCustomer | undefined> {
  try {
    const customer = await createLive(api, body, key);
    return customer.id.toLowerCase() === existingId.toLowerCase() ? customer : undefined;
  } catch (e) {
    if (isCspError(e) && !isLostResponse(e)) return undefined;
    throw e;
  }
}

async function createNew(api: CspApi, inputs: CustomerInputs, ctx: HandlerContext): Promise<PcCustomer> {
  const pc = api.partnerCenter;
  const domain = fullDomain(inputs.domainPrefix);
  const body = createRequest(inputs);
  const key = createKey(accountName(inputs.account), body);

  // Usually answered already by this resource's check, moments ago (processFacts.ts); used once.
  const taken = await domainTaken(api, domain);
  forgetDomain(api, domain);
  if (taken) {
    const ours = await findCustomersByDomain(pc, domain);
    if (ours.length === 0) {
      throw providerRefusal(
        `the domain ${domain} is already taken by another organization`,
        "choose another domainPrefix (domains are unique across Microsoft)",
        "CSP_CONFLICT",
      );
    }
    // One of our customers has this domain: an earlier create of this very resource whose result
    // was lost (crash, timeout)? Replaying the same request id returns it, with its credentials.
    const replayed = await replayCreate(api, body, key, ours[0]!.id);
    if (replayed) {
      ctx.log(
        `Customer ${domain}: found the customer created by an earlier run (${replayed.id}); not created twice`,
      );
      return replayed;
    }
    throw providerRefusal(
      `customer ${ours[0]!.id} with the domain ${domain} already exists in partner account "${api.account}"`,
      `to manage it with this resource, set adopt: { customerId: "${ours[0]!.id}" } (pulumi import does not work for dynamic resources); to create a different customer, choose another domainPrefix`,
      "CSP_CONFLICT",
    );
  }

  try {
    const created = await createLive(api, body, key);
    // The domain was free and the answer names a live customer with it: this process created it,
    // so it has no agreement, plan or order yet (processFacts.ts, `firstOfNewCustomer`). [U] That
    // HEAD /v1/domains sees a domain as taken as soon as its customer exists: if it lagged, a
    // re-run could take an earlier run's customer for a new one; its plan's cart and checkout then
    // still replay under the same request ids (cartCheckout.ts) instead of buying again.
    markCreatedHere(api, created.id);
    return created;
  } catch (e) {
    if (!isLostResponse(e)) throw e;
    // The answer was lost even after the pipeline's retries: the customer may exist.
    const ours = await findCustomersByDomain(pc, domain);
    if (ours.length === 0) throw e;
    const replayed = await replayCreate(api, body, key, ours[0]!.id);
    if (replayed) return replayed;
    const found = await getCustomer(pc, ours[0]!.id);
    if (found) {
      ctx.log(
        `Customer ${domain}: the create response was lost; found the customer ${found.id}. Its initial admin password could not be recovered: reset it in Partner Center`,
      );
      return found;
    }
    throw e;
  }
}
