import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { AzurePlanArgs } from "../../resources/azurePlan";
import type { AzureSubscriptionArgs } from "../../resources/azureSubscription";
import type { CustomerArgs } from "../../resources/customer";
import type { CustomerAgreementArgs } from "../../resources/customerAgreement";
import type { LicenseSubscriptionArgs } from "../../resources/licenseSubscription";
import type { azurePlanSchema } from "./azurePlan";
import type { azureSubscriptionSchema } from "./azureSubscriptionInputs";
import type { customerAgreementSchema } from "./customerAgreement";
import type { customerSchema } from "./customerInputs";
import type { licenseSchema } from "./licenseInputs";

/**
 * Compile-time only (types, no code): each commerce resource's Args, unwrapped from
 * `pulumi.Input`, and the input type of its handler's zod schema must accept the same values and
 * name the same fields at every level, so a field added, removed or retyped on one side only
 * fails `tsc` here instead of drifting.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameFields<A, B> = A extends readonly unknown[]
  ? true
  : A extends object
    ? B extends object
      ? Same<keyof A, keyof B> extends true
        ? {
            [K in keyof A]-?: K extends keyof B ? SameFields<NonNullable<A[K]>, NonNullable<B[K]>> : false;
          }[keyof A]
        : false
      : false
    : true;
type Mirror<A, B> = Same<A, B> extends true ? SameFields<A, B> : false;
type Assert<T extends true> = T;

export type CustomerArgsMatch = Assert<Mirror<pulumi.Unwrap<CustomerArgs>, z.input<typeof customerSchema>>>;
export type CustomerAgreementArgsMatch = Assert<
  Mirror<pulumi.Unwrap<CustomerAgreementArgs>, z.input<typeof customerAgreementSchema>>
>;
export type AzurePlanArgsMatch = Assert<
  Mirror<pulumi.Unwrap<AzurePlanArgs>, z.input<typeof azurePlanSchema>>
>;
/** `cancellationReason` is a former input the schema keeps only to refuse it with advice. */
export type AzureSubscriptionArgsMatch = Assert<
  Mirror<
    pulumi.Unwrap<AzureSubscriptionArgs>,
    Omit<z.input<typeof azureSubscriptionSchema>, "cancellationReason">
  >
>;
/** `catalogItemId` is set by check (the catalog item the cart buys), not declared. */
export type LicenseSubscriptionArgsMatch = Assert<
  Mirror<pulumi.Unwrap<LicenseSubscriptionArgs>, Omit<z.input<typeof licenseSchema>, "catalogItemId">>
>;
