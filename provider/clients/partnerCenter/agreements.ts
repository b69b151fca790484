import { partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";

/**
 * Microsoft Customer Agreement attestation ("Confirm customer acceptance of Microsoft Customer
 * Agreement",
 * https://learn.microsoft.com/partner-center/developer/confirm-customer-consent-customer-agreement).
 * Every call here is App+User only (the Prerequisites of that page and of "Get agreement metadata
 * for the Microsoft Customer Agreement",
 * https://learn.microsoft.com/partner-center/developer/get-customer-agreement-metadata), so each
 * request takes `partnerCenterUser()` (provider/auth/actingIdentity.ts).
 */

export const MCA_AGREEMENT_TYPE = "MicrosoftCustomerAgreement";

/** Agreement metadata item (vector 09). */
export interface PcAgreementMetadata {
  templateId: string;
  agreementType?: string;
  agreementLink?: string;
  versionRank?: number;
}

export interface PcContact {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: string;
}

/** An attestation as created (vectors 07/08) or listed (adds `agreementLink`). */
export interface PcAgreement {
  primaryContact?: PcContact;
  templateId?: string;
  dateAgreed?: string;
  type?: string;
  agreementLink?: string;
  userId?: string;
}

/** `GET /v1/agreements?agreementType=MicrosoftCustomerAgreement`. */
export async function listAgreementMetadata(pc: ServiceClient): Promise<PcAgreementMetadata[]> {
  return listPartnerCenter<PcAgreementMetadata>(pc, {
    method: "GET",
    path: "/v1/agreements",
    query: { agreementType: MCA_AGREEMENT_TYPE },
    auth: partnerCenterUser(),
  });
}

/**
 * The current MCA template: the metadata item of type MicrosoftCustomerAgreement with the lowest
 * `versionRank` (0 is the current version in the published sample, vector 09 [U: semantics of
 * `versionRank` beyond the sample]).
 */
export async function currentMcaTemplate(pc: ServiceClient): Promise<PcAgreementMetadata | undefined> {
  const items = (await listAgreementMetadata(pc)).filter(
    (m) => (m.agreementType ?? MCA_AGREEMENT_TYPE).toLowerCase() === MCA_AGREEMENT_TYPE.toLowerCase(),
  );
  items.sort((a, b) => (a.versionRank ?? 0) - (b.versionRank ?? 0));
  return items[0];
}

/** `GET /v1/customers/{id}/agreements?agreementType=MicrosoftCustomerAgreement`. */
export async function listCustomerAgreements(pc: ServiceClient, customerId: string): Promise<PcAgreement[]> {
  return listPartnerCenter<PcAgreement>(pc, {
    method: "GET",
    path: `/v1/customers/${encodeURIComponent(customerId)}/agreements`,
    query: { agreementType: MCA_AGREEMENT_TYPE },
    auth: partnerCenterUser(),
  });
}

/**
 * `POST /v1/customers/{id}/agreements` → 201 (vectors 07/08). A repeat with identical contact
 * data is rejected as a duplicate (600061), so callers list first; the idempotency key covers a
 * lost response of this very call.
 */
export async function createCustomerAgreement(
  pc: ServiceClient,
  customerId: string,
  agreement: { primaryContact: PcContact; templateId: string; dateAgreed: string },
  idempotencyKey: string,
): Promise<PcAgreement> {
  const res = await pc.send<PcAgreement>({
    method: "POST",
    path: `/v1/customers/${encodeURIComponent(customerId)}/agreements`,
    body: { ...agreement, type: MCA_AGREEMENT_TYPE },
    idempotencyKey,
    auth: partnerCenterUser(),
  });
  return res.body;
}
