import { nameBasedUuid } from "../common/directory";
import type { JsonObject } from "../common/json";
import type { EmulatorState } from "../common/state";
import type { Route } from "../common/types";
import { collection, queryParam } from "./collections";
import { requireCustomer } from "./customerAccess";
import { objProp, requireBody, requireStr, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { type AgreementRecord, pcSections } from "./pcState";

/**
 * Agreements ("Confirm customer acceptance of Microsoft Customer Agreement",
 * https://learn.microsoft.com/partner-center/developer/confirm-customer-consent-customer-agreement;
 * "Get agreement metadata for the Microsoft Customer Agreement",
 * https://learn.microsoft.com/partner-center/developer/get-customer-agreement-metadata; vectors 07,
 * 08, 09). All App+User only. Confirming the Microsoft Customer Agreement for a customer is the
 * prerequisite of every new-commerce purchase (the checkout answers 403 / 13605 without it).
 */

export const MCA_TEMPLATE_ID = "117a77b0-9360-443b-8795-c6dedc750cf9";

interface AgreementMetadata {
  templateId: string;
  agreementType: string;
  agreementLink: string;
  versionRank: number;
}

const METADATA: AgreementMetadata[] = [
  // Vector 09, as published.
  {
    templateId: MCA_TEMPLATE_ID,
    agreementType: "MicrosoftCustomerAgreement",
    agreementLink: "https://aka.ms/customeragreement",
    versionRank: 0,
  },
  // [U] The Microsoft Cloud Agreement's template id and link are not in the sources read; the
  // emulator derives a stable id so that the default (`agreementType` omitted) answers something.
  {
    templateId: nameBasedUuid("agreement-template:MicrosoftCloudAgreement"),
    agreementType: "MicrosoftCloudAgreement",
    agreementLink: "https://aka.ms/microsoftcloudagreement",
    versionRank: 0,
  },
];

export const agreementRoutes: Route[] = [
  pcRoute("GET", "/v1/agreements", { auth: "appUser" }, (ctx) => {
    // Omitting agreementType means MicrosoftCloudAgreement; `*` means all ("Get agreement metadata
    // for the Microsoft Customer Agreement",
    // https://learn.microsoft.com/partner-center/developer/get-customer-agreement-metadata).
    const type = (queryParam(ctx.req, "agreementType") ?? "MicrosoftCloudAgreement").toLowerCase();
    const items = METADATA.filter((m) => type === "*" || m.agreementType.toLowerCase() === type).map((m) => ({
      ...m,
    }));
    return { status: 200, body: collection(items) };
  }),
  pcRoute("POST", "/v1/customers/:customerId/agreements", { auth: "appUser" }, createAgreement),
  pcRoute("GET", "/v1/customers/:customerId/agreements", { auth: "appUser" }, (ctx) => {
    const customer = requireCustomer(ctx);
    const type = queryParam(ctx.req, "agreementType")?.toLowerCase();
    const items = (pcSections(ctx.emu.state).agreements[customer.id] ?? [])
      .filter((a) => type === undefined || type === "*" || a.type.toLowerCase() === type)
      .map((a) => ({ ...agreementView(a), agreementLink: linkOf(a.templateId) }));
    return { status: 200, body: collection(items) };
  }),
];

function createAgreement(ctx: PcContext) {
  const customer = requireCustomer(ctx);
  const body = requireBody(ctx.req.body);
  const contactIn = objProp(body, "primaryContact");
  if (!contactIn) throw pcErrors.invalidProperty("primaryContact is required.");
  const contact: JsonObject = {
    firstName: requireStr(contactIn, "firstName", "primaryContact.firstName"),
    lastName: requireStr(contactIn, "lastName", "primaryContact.lastName"),
    email: requireStr(contactIn, "email", "primaryContact.email"),
  };
  const phone = strProp(contactIn, "phoneNumber");
  if (phone !== undefined) contact.phoneNumber = phone;
  const templateId = requireStr(body, "templateId", "templateId").toLowerCase();
  const metadata = METADATA.find((m) => m.templateId === templateId);
  if (!metadata) {
    throw pcErrors.invalidProperty(
      `templateId ${templateId} is not a known agreement template (GET /v1/agreements?agreementType=MicrosoftCustomerAgreement).`,
    );
  }
  const type = strProp(body, "type") ?? metadata.agreementType;
  if (type.toLowerCase() !== metadata.agreementType.toLowerCase()) {
    throw pcErrors.invalidProperty(
      `type ${type} does not match the template's agreement type ${metadata.agreementType}.`,
    );
  }
  const dateText = requireStr(body, "dateAgreed", "dateAgreed");
  const date = new Date(dateText);
  if (Number.isNaN(date.getTime()))
    throw pcErrors.invalidProperty(`dateAgreed must be a UTC date-time (got ${dateText}).`);

  const byCustomer = pcSections(ctx.emu.state).agreements;
  byCustomer[customer.id] ??= [];
  const list = byCustomer[customer.id];
  // A new confirmation is accepted only when the contact data changed (first/last name, email, phone).
  const duplicate = list.some(
    (a) =>
      a.type === metadata.agreementType &&
      a.primaryContact.firstName === contact.firstName &&
      a.primaryContact.lastName === contact.lastName &&
      String(a.primaryContact.email).toLowerCase() === String(contact.email).toLowerCase() &&
      (a.primaryContact.phoneNumber ?? "") === (contact.phoneNumber ?? ""),
  );
  if (duplicate) throw pcErrors.agreementExists();
  const record: AgreementRecord = {
    userId: ctx.caller.objectId,
    primaryContact: contact,
    templateId,
    dateAgreed: date.toISOString(),
    type: metadata.agreementType,
  };
  list.push(record);
  return { status: 201, body: agreementView(record) };
}

function agreementView(a: AgreementRecord): JsonObject {
  return {
    userId: a.userId,
    primaryContact: { ...a.primaryContact },
    templateId: a.templateId,
    dateAgreed: a.dateAgreed,
    type: a.type,
  };
}

function linkOf(templateId: string): string {
  return METADATA.find((m) => m.templateId === templateId)?.agreementLink ?? "";
}

/** Whether the Microsoft Customer Agreement was confirmed for the customer (purchase gate). */
export function hasCustomerAgreement(state: EmulatorState, customerId: string): boolean {
  return (pcSections(state).agreements[customerId] ?? []).some(
    (a) => a.type === "MicrosoftCustomerAgreement",
  );
}
