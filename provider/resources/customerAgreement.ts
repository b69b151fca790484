import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { customerAgreementSchema } from "../handlers/commerce/customerAgreement";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** The customer's representative who accepted the agreement. */
export interface AgreementContactArgs {
  firstName: pulumi.Input<string>;
  lastName: pulumi.Input<string>;
  email: pulumi.Input<string>;
  phoneNumber?: pulumi.Input<string>;
}

/** The inputs of a {@link CustomerAgreement}. */
export interface CustomerAgreementArgs {
  /** The customer (tenant) id, e.g. `customer.customerId`. */
  customerId: pulumi.Input<string>;
  /** Who accepted the agreement; a change records a new attestation. */
  primaryContact: pulumi.Input<AgreementContactArgs>;
  /** When it was accepted (ISO 8601, UTC); defaults to the time of the first create, then stays. */
  dateAgreed?: pulumi.Input<string>;
  /** Agreement template; defaults to the current Microsoft Customer Agreement template (agreements metadata). */
  templateId?: pulumi.Input<string>;
  /** Named partner account; the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while CustomerAgreementArgs and the handler's schema describe the same inputs. */
export type CustomerAgreementArgsMatch = AssertArgsMatch<
  ArgsMatch<CustomerAgreementArgs, z.input<typeof customerAgreementSchema>>
>;

/** An attestation as Partner Center records it. */
export interface AgreementAttestation {
  primaryContact: { firstName: string; lastName: string; email: string; phoneNumber?: string };
  templateId: string;
  dateAgreed: string;
  agreementType: string;
  userId?: string;
}

/**
 * The partner's attestation that the customer accepted the Microsoft Customer Agreement
 * (required before an Azure plan can be bought). An existing attestation is adopted, never
 * confirmed twice. Deleting the resource only removes it from the stack: an acceptance cannot be
 * withdrawn through the API.
 */
export class CustomerAgreement extends CspResource {
  declare public readonly templateId: pulumi.Output<string>;
  declare public readonly dateAgreed: pulumi.Output<string>;
  declare public readonly agreementType: pulumi.Output<string>;
  /** The attestation Partner Center holds (refreshed by `pulumi refresh`). */
  declare public readonly attestation: pulumi.Output<AgreementAttestation>;
  /** Whether an existing attestation was adopted. */
  declare public readonly adopted: pulumi.Output<boolean>;
  declare public readonly deletionBehavior: pulumi.Output<string>;

  constructor(name: string, args: CustomerAgreementArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "CustomerAgreement",
      name,
      {
        templateId: undefined,
        dateAgreed: undefined,
        ...args,
        agreementType: undefined,
        attestation: undefined,
        adopted: undefined,
        deletionBehavior: undefined,
      },
      opts,
    );
  }
}
