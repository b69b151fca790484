import { z } from "zod";
import type { CspApi } from "../../clients/cspApi";
import {
  createCustomerAgreement,
  listCustomerAgreements,
  MCA_AGREEMENT_TYPE,
  type PcAgreement,
  type PcContact,
} from "../../clients/partnerCenter/agreements";
import { hasServiceCode, isLostResponse } from "../../errors";
import {
  accountFailures,
  deterministicUuid,
  jsonEqual,
  refusal as refusalOf,
  stripUndefined,
  validateInputs,
} from "../common";
import type { CheckFailure, HandlerContext, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import { providerRefusal } from "./errors";
import { accountField, accountName, customerIdField, emailField, GUID_PATTERN, requiredText } from "./fields";
import { firstOfNewCustomer, mcaTemplate } from "./processFacts";

/**
 * CustomerAgreement: the customer's acceptance of the Microsoft Customer Agreement, attested by the
 * partner ("Confirm customer acceptance of Microsoft Customer Agreement",
 * https://learn.microsoft.com/partner-center/developer/confirm-customer-consent-customer-agreement).
 * Required before an Azure plan can be bought: 403/13605 otherwise ("Partner Center REST error
 * codes", https://learn.microsoft.com/partner-center/developer/error-codes).
 *
 * - An existing attestation for the template is adopted, never confirmed twice: create reads the
 *   customer's attestations first, except for a customer this process just created (it has none);
 *   a duplicate is refused with 600061 ("A partner confirmed agreement already exists for the
 *   customer", on the confirm page below: only a change of first name, last name, e-mail or phone
 *   makes another attestation), which is then adopted.
 * - The current MCA template is read once per process (processFacts.ts).
 * - A change of `primaryContact` or `templateId` records a new attestation (Partner Center keeps
 *   the earlier ones). `dateAgreed` defaults to the time of the first create and then stays.
 * - Delete removes the resource from the stack only: there is no API to withdraw an acceptance.
 * - Every call is App+User (the Prerequisites of the confirm page above and of "Get agreement
 *   metadata for the Microsoft Customer Agreement",
 *   https://learn.microsoft.com/partner-center/developer/get-customer-agreement-metadata).
 */

export const CUSTOMER_AGREEMENT_TYPE = "CustomerAgreement";

/** The attestation as Partner Center records it. */
export interface AttestationRecord {
  primaryContact: ContactInput;
  templateId: string;
  dateAgreed: string;
  agreementType: string;
  userId?: string;
  // The agreement link, carried by the list answer only, is not kept: the record must read the
  // same after create and after refresh.
}

export interface CustomerAgreementOutputs {
  /** The template used (input, or the default read from the metadata). */
  templateId: string;
  /** The date submitted with the attestation (input, or the time of the create). */
  dateAgreed: string;
  agreementType: string;
  /** The attestation Partner Center holds for the template (refreshed by `read`). */
  attestation: AttestationRecord;
  /** Whether an existing attestation was adopted instead of confirmed by this resource. */
  adopted: boolean;
  deletionBehavior: string;
}

type AgreementState = CustomerAgreementInputs & CustomerAgreementOutputs;

const DELETION_BEHAVIOR =
  "removeFromStack: deleting this resource only removes it from the stack; Partner Center has no API to withdraw a Microsoft Customer Agreement acceptance, which stays on record";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export const customerAgreementSchema = z.object({
  customerId: customerIdField,
  primaryContact: z.object({
    firstName: requiredText(50),
    lastName: requiredText(50),
    email: emailField,
    phoneNumber: z
      .string({ error: "must be a string" })
      .regex(
        /^\+?[0-9 ()./-]{4,30}$/,
        "must be a phone number of 4-30 digits, spaces or ( ) . / - (optionally starting with +)",
      )
      .optional(),
  }),
  dateAgreed: z
    .string({ error: "must be a string" })
    .refine(
      (v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)),
      "must be an ISO 8601 date or date-time such as 2024-05-01T00:00:00Z",
    )
    .optional(),
  templateId: z
    .string({ error: "must be a string" })
    .regex(GUID_PATTERN, "must be an agreement template id (a GUID)")
    .optional(),
  account: accountField,
});

/**
 * The checked inputs: `dateAgreed` is an ISO 8601 date-time (UTC), by default the time of the
 * first create; `templateId` defaults to the current Microsoft Customer Agreement template from
 * the agreements metadata.
 */
export type CustomerAgreementInputs = z.output<typeof customerAgreementSchema>;
export type ContactInput = CustomerAgreementInputs["primaryContact"];

function agreementId(customerId: string): string {
  return `${customerId}/${MCA_AGREEMENT_TYPE}`;
}

function sameContact(
  a: ContactInput | PcContact | undefined,
  b: ContactInput | PcContact | undefined,
): boolean {
  if (!a || !b) return false;
  const norm = (c: ContactInput | PcContact) => ({
    firstName: c.firstName.trim(),
    lastName: c.lastName.trim(),
    email: c.email.trim().toLowerCase(),
    phoneNumber: c.phoneNumber?.trim() || undefined,
  });
  return jsonEqual(norm(a), norm(b));
}

function toRecord(a: PcAgreement, fallbackTemplate: string): AttestationRecord {
  const c = a.primaryContact;
  return stripUndefined({
    primaryContact: stripUndefined({
      firstName: c?.firstName ?? "",
      lastName: c?.lastName ?? "",
      email: c?.email ?? "",
      phoneNumber: c?.phoneNumber || undefined,
    }),
    templateId: a.templateId ?? fallbackTemplate,
    dateAgreed: a.dateAgreed ?? "",
    agreementType: a.type ?? MCA_AGREEMENT_TYPE,
    userId: a.userId,
  });
}

/** The customer's attestations for a template, newest first. */
async function attestationsFor(api: CspApi, customerId: string, templateId: string): Promise<PcAgreement[]> {
  const all = await listCustomerAgreements(api.partnerCenter, customerId);
  return all
    .filter((a) => (a.templateId ?? "").toLowerCase() === templateId.toLowerCase())
    .sort((a, b) => Date.parse(b.dateAgreed ?? "") - Date.parse(a.dateAgreed ?? ""));
}

async function resolveTemplate(api: CspApi, inputs: CustomerAgreementInputs): Promise<string> {
  if (inputs.templateId) return inputs.templateId;
  const current = await mcaTemplate(api);
  if (!current) {
    throw providerRefusal(
      "Partner Center's agreements metadata lists no Microsoft Customer Agreement template",
      "set templateId explicitly, or retry later",
      "CSP_API_ERROR",
    );
  }
  return current.templateId;
}

/**
 * Records an attestation, or adopts the one that exists. A duplicate (600061) or a lost response
 * is resolved by reading the attestations again.
 */
async function attest(
  api: CspApi,
  inputs: CustomerAgreementInputs,
  templateId: string,
  dateAgreed: string,
  ctx: HandlerContext,
): Promise<{ record: AttestationRecord; adopted: boolean }> {
  const body = { primaryContact: stripUndefined({ ...inputs.primaryContact }), templateId, dateAgreed };
  const key = deterministicUuid(
    "customer-agreement",
    accountName(inputs.account),
    inputs.customerId.toLowerCase(),
    templateId.toLowerCase(),
    inputs.primaryContact.email.toLowerCase(),
    dateAgreed,
  );
  try {
    const created = await createCustomerAgreement(api.partnerCenter, inputs.customerId, body, key);
    return { record: toRecord({ ...body, ...created }, templateId), adopted: false };
  } catch (e) {
    if (!hasServiceCode(e, "600061") && !isLostResponse(e)) throw e;
    const existing = await attestationsFor(api, inputs.customerId, templateId);
    const match = existing.find((a) => sameContact(a.primaryContact, inputs.primaryContact)) ?? existing[0];
    if (!match) throw e;
    ctx.log(`CustomerAgreement ${inputs.customerId}: the attestation already exists; adopted it`);
    return { record: toRecord(match, templateId), adopted: hasServiceCode(e, "600061") };
  }
}

function inputsOnly(state: CustomerAgreementInputs): CustomerAgreementInputs {
  return stripUndefined({
    customerId: state.customerId,
    primaryContact: state.primaryContact,
    dateAgreed: state.dateAgreed,
    templateId: state.templateId,
    account: state.account,
  });
}

export const customerAgreementHandler: ResourceHandler<CustomerAgreementInputs, CustomerAgreementOutputs> = {
  async check(olds, news, ctx) {
    const validated = validateInputs(customerAgreementSchema, news);
    const failures: CheckFailure[] = [...(validated.failures ?? [])];
    failures.push(...accountFailures(news.account, ctx.config));
    // The date belongs to one attestation: it changes only together with a new attestation.
    const exists = olds.customerId !== undefined;
    if (
      exists &&
      news.dateAgreed !== undefined &&
      !isUnknown(news.dateAgreed) &&
      olds.dateAgreed !== news.dateAgreed &&
      jsonEqual(olds.primaryContact, news.primaryContact) &&
      (olds.templateId ?? null) === (news.templateId ?? null)
    ) {
      failures.push(
        refusalOf(
          "dateAgreed",
          `the date of a recorded attestation cannot change (from ${JSON.stringify(olds.dateAgreed ?? null)}); it changes only with a new attestation (a change of primaryContact or templateId)`,
          news.dateAgreed,
        ),
      );
    }
    if (failures.length > 0) return { failures };
    return { inputs: validated.inputs ?? news };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    if (!isUnknown(news.customerId) && olds.customerId.toLowerCase() !== news.customerId.toLowerCase()) {
      replaces.push("customerId");
    }
    if ((olds.account ?? null) !== (news.account ?? null)) replaces.push("account");
    const contactChanged =
      isUnknown(news.primaryContact) || !sameContact(olds.primaryContact, news.primaryContact);
    const templateChanged = news.templateId !== undefined && news.templateId !== olds.templateId;
    const dateChanged = news.dateAgreed !== undefined && news.dateAgreed !== olds.dateAgreed;
    return {
      changes: replaces.length > 0 || contactChanged || templateChanged || dateChanged,
      ...(replaces.length > 0 ? { replaces } : {}),
    };
  },

  async create(inputs, ctx) {
    const api = ctx.api(inputs.account);
    const templateId = await resolveTemplate(api, inputs);
    // A customer this process just created has no attestation yet: confirm without looking (a
    // duplicate would be refused with 600061 and adopted, see `attest`). Otherwise look first, so
    // an existing acceptance (another contact's) is adopted, not confirmed again.
    const existing = firstOfNewCustomer(api, inputs.customerId, "agreement")
      ? []
      : await attestationsFor(api, inputs.customerId, templateId);
    let record: AttestationRecord;
    let adopted: boolean;
    if (existing.length > 0) {
      const match =
        existing.find((a) => sameContact(a.primaryContact, inputs.primaryContact)) ?? existing[0]!;
      record = toRecord(match, templateId);
      adopted = true;
      ctx.log(
        `CustomerAgreement ${inputs.customerId}: the customer already accepted the Microsoft Customer Agreement (${record.dateAgreed}, ${record.primaryContact.email}); adopted, not confirmed again`,
      );
    } else {
      const dateAgreed = inputs.dateAgreed ?? ctx.clock.now().toISOString();
      ({ record, adopted } = await attest(api, inputs, templateId, dateAgreed, ctx));
    }
    const outs: AgreementState = stripUndefined({
      ...inputs,
      templateId,
      dateAgreed: inputs.dateAgreed ?? record.dateAgreed,
      agreementType: MCA_AGREEMENT_TYPE,
      attestation: record,
      adopted,
      deletionBehavior: DELETION_BEHAVIOR,
    });
    return { id: agreementId(inputs.customerId), outs };
  },

  async read(id, props, ctx) {
    const api = ctx.api(props.account);
    const existing = await attestationsFor(api, props.customerId, props.templateId);
    if (existing.length === 0) {
      ctx.log(
        `CustomerAgreement ${props.customerId}: Partner Center holds no attestation for template ${props.templateId}`,
      );
      return { id: "" };
    }
    const current = props.attestation;
    const match =
      existing.find(
        (a) => sameContact(a.primaryContact, current?.primaryContact) && a.dateAgreed === current?.dateAgreed,
      ) ?? existing[0]!;
    const outs: AgreementState = stripUndefined({ ...props, attestation: toRecord(match, props.templateId) });
    return { id, props: outs };
  },

  async update(_id, olds, news, ctx) {
    const api = ctx.api(news.account);
    const templateId = news.templateId ?? olds.templateId;
    const current = olds.attestation;
    let record = current;
    let adopted = olds.adopted === true;
    let dateAgreed = olds.dateAgreed;
    const unchanged =
      current &&
      sameContact(current.primaryContact, news.primaryContact) &&
      current.templateId.toLowerCase() === templateId.toLowerCase();
    if (!unchanged) {
      dateAgreed = news.dateAgreed ?? ctx.clock.now().toISOString();
      ({ record, adopted } = await attest(api, { ...news, templateId }, templateId, dateAgreed, ctx));
      ctx.log(
        `CustomerAgreement ${news.customerId}: recorded a new attestation for ${news.primaryContact.email} (Partner Center keeps the earlier ones)`,
      );
    }
    const outs: AgreementState = stripUndefined({
      ...inputsOnly(news),
      templateId,
      dateAgreed,
      agreementType: MCA_AGREEMENT_TYPE,
      attestation: record,
      adopted,
      deletionBehavior: DELETION_BEHAVIOR,
    });
    return { outs };
  },

  async delete(_id, props, ctx) {
    ctx.log(
      `CustomerAgreement ${props.customerId}: removed from the stack only; Partner Center has no API to withdraw the Microsoft Customer Agreement acceptance, which stays on record`,
    );
  },
};
