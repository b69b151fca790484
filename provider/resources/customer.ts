import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { customerSchema } from "../handlers/commerce/customerInputs";
import type { ArgsMatch, AssertArgsMatch } from "./argsMatch";
import { CspResource } from "./cspResource";

/** A postal address with a contact, as Partner Center stores it in the billing profile. */
export interface CustomerAddressArgs {
  /** Contact first name, 1-50 characters. */
  firstName: pulumi.Input<string>;
  /** Contact last name, 1-50 characters. */
  lastName: pulumi.Input<string>;
  /** 1-200 characters. */
  addressLine1: pulumi.Input<string>;
  /** Up to 200 characters. */
  addressLine2?: pulumi.Input<string>;
  city: pulumi.Input<string>;
  /** State code, at most 2 characters (e.g. `WA`), as Partner Center documents it. */
  state?: pulumi.Input<string>;
  postalCode: pulumi.Input<string>;
  /** ISO 3166-1 alpha-2 country code, e.g. `US`. */
  country: pulumi.Input<string>;
  /** Required in AM, AZ, BY, HU, KZ, KG, MD, RU, TJ, UZ, UA, BR, IN, ZA, PL, AE, SA, TR, TH, VN, MM, IQ, SS, VE. */
  phoneNumber?: pulumi.Input<string>;
}

/** The customer's billing profile (updatable in place). */
export interface CustomerBillingProfileArgs {
  email: pulumi.Input<string>;
  /** Culture such as `en-US`. */
  culture: pulumi.Input<string>;
  /** Language such as `en`. */
  language: pulumi.Input<string>;
  /** Defaults to the customer's `companyName`. */
  companyName?: pulumi.Input<string>;
  defaultAddress: pulumi.Input<CustomerAddressArgs>;
}

/** The inputs of a {@link Customer}. */
export interface CustomerArgs {
  /**
   * The `*.onmicrosoft.com` prefix of the new tenant: `contoso` → `contoso.onmicrosoft.com`
   * (1-27 letters or digits). Cannot change once the customer exists.
   */
  domainPrefix: pulumi.Input<string>;
  /** Company name (2-255 characters). Cannot change once the customer exists (no Partner Center API). */
  companyName: pulumi.Input<string>;
  /** Billing profile; a change is applied as an update (ETag-protected PUT). */
  billingProfile: pulumi.Input<CustomerBillingProfileArgs>;
  /** Required in the countries Partner Center lists (e.g. BR, IN, PL, ZA, TR); cannot change later. */
  organizationRegistrationNumber?: pulumi.Input<string>;
  /**
   * Indirect providers: the partner id (MPN id or tenant id) of the indirect reseller the customer
   * is created for (app+user). It must be an active indirect reseller of the account: `check` (and
   * so the preview) looks it up and fails otherwise, naming the account's resellers.
   */
  associatedPartnerId?: pulumi.Input<string>;
  /**
   * Adopt an existing customer of the partner account instead of creating one (`pulumi import`
   * does not work for dynamic resources). `{}` adopts the customer with the declared domain;
   * `customerId` or `domain` name it explicitly. Its domain and company name must match the inputs.
   */
  adopt?: pulumi.Input<{ customerId?: pulumi.Input<string>; domain?: pulumi.Input<string> }>;
  /**
   * What deleting the resource does in production: `leave` (default: the tenant and the reseller
   * relationship stay) or `removeRelationship`. In an integration sandbox (`csp:sandbox`) the
   * default deletes the tenant, unless the customer was adopted. See the `deletionBehavior` output.
   */
  onDelete?: pulumi.Input<"leave" | "removeRelationship">;
  /**
   * Whether Partner Center grants the partner its Default GDAP relationship with the new customer
   * (sent as `enableGDAPByDefault` on create, always). Default `false`: that relationship is active
   * at once and holds privileged Entra roles (Privileged Role Administrator, Privileged
   * Authentication Administrator, User Administrator, Application Administrator, ...) for two
   * years, while nothing in the program declares or tracks it; declare a `GdapRelationship` with
   * the roles you need instead. `true` keeps Microsoft's default and reports the relationship in
   * `defaultGdapRelationshipId`. It only matters when the customer is created: a later change
   * fails the preview, and it cannot be `true` with `adopt`.
   */
  enableGdapByDefault?: pulumi.Input<boolean>;
  /** Named partner account (see `csp:accounts`); the default account when omitted. */
  account?: pulumi.Input<string>;
}

/** Compiles only while CustomerArgs and the handler's schema describe the same inputs. */
export type CustomerArgsMatch = AssertArgsMatch<ArgsMatch<CustomerArgs, z.input<typeof customerSchema>>>;

/** The billing profile as applied (output). */
export interface CustomerBillingProfile {
  email: string;
  culture: string;
  language: string;
  companyName: string;
  defaultAddress: {
    firstName: string;
    lastName: string;
    addressLine1: string;
    addressLine2?: string;
    city: string;
    state?: string;
    postalCode: string;
    country: string;
    phoneNumber?: string;
  };
}

/**
 * A Partner Center customer: a new customer tenant with a reseller relationship, or an adopted
 * existing one. The resource id is the customer id (= tenant id).
 *
 * A customer tenant cannot be replaced: changing `domainPrefix`, `companyName`,
 * `organizationRegistrationNumber`, `associatedPartnerId`, `enableGdapByDefault` or `account`
 * fails the preview instead of planning a replacement.
 */
export class Customer extends CspResource {
  /** Customer id = the customer's Entra tenant id. */
  declare public readonly customerId: pulumi.Output<string>;
  /** The initial domain, e.g. `contoso.onmicrosoft.com`. */
  declare public readonly domain: pulumi.Output<string>;
  declare public readonly commerceId: pulumi.Output<string | undefined>;
  /** `reseller`, `advisor`, `none`, ... */
  declare public readonly relationshipToPartner: pulumi.Output<string | undefined>;
  /** The company name Partner Center holds. */
  declare public readonly companyName: pulumi.Output<string>;
  /** The billing profile as applied. */
  declare public readonly billingProfile: pulumi.Output<CustomerBillingProfile>;
  /** The generated initial Global Administrator (`admin@<domain>`); absent for adopted customers. */
  declare public readonly adminUserName: pulumi.Output<string | undefined>;
  /** Its generated password (secret); only known from the create response. */
  declare public readonly adminPassword: pulumi.Output<string | undefined>;
  /** Whether the customer was adopted rather than created by this resource. */
  declare public readonly adopted: pulumi.Output<boolean>;
  /** What deleting this resource will do (`deleteTenant`, `leave` or `removeRelationship`, with an explanation). */
  declare public readonly deletionBehavior: pulumi.Output<string>;
  /**
   * Id of the Default GDAP relationship Partner Center granted (only with
   * `enableGdapByDefault: true`; empty until Graph lists it). Use it to assign security groups
   * (`GdapAccessAssignment`) or to watch it.
   */
  declare public readonly defaultGdapRelationshipId: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "Customer",
      name,
      {
        ...args,
        customerId: undefined,
        domain: undefined,
        commerceId: undefined,
        relationshipToPartner: undefined,
        adminUserName: undefined,
        adminPassword: undefined,
        adopted: undefined,
        deletionBehavior: undefined,
        defaultGdapRelationshipId: undefined,
      },
      opts,
      ["adminPassword"],
    );
  }
}
