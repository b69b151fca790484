import * as pulumi from "@pulumi/pulumi";
import { providerModuleText } from "../providerModule";
import { APPROVAL_KEY, CHANGES_KEY, PURCHASE_KEY } from "../purchaseMarker";

/**
 * Base of every pulumi-csp resource: a Pulumi dynamic resource whose `__provider` is a one-line
 * module that requires this package's compiled host and names the type (about 100 bytes, stable
 * across versions), instead of a serialized closure of the provider code.
 *
 * The type token is `pulumi-nodejs:dynamic/csp:<Type>`: the engine routes every
 * `pulumi-nodejs:dynamic*` type to the Node dynamic-provider host, which loads `__provider`.
 */
export abstract class CspResource extends pulumi.CustomResource {
  protected constructor(
    type: string,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    secretOutputs: string[] = [],
  ) {
    super(
      `pulumi-nodejs:dynamic/csp:${type}`,
      name,
      { ...props, [CHANGES_KEY]: undefined, __provider: providerModuleText(type) },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs],
      },
    );
    // Set only while an update is planned (see provider/purchaseMarker.ts): says on this resource's
    // row of a plain `pulumi preview` which properties change.
    const changes = (this as unknown as Record<string, pulumi.Output<string | undefined>>)[CHANGES_KEY];
    changes.apply((text) => {
      if (text) void pulumi.log.info(text, this);
    });
  }

  /**
   * Billable types call this from their constructor: when the engine plans a create of this
   * resource, its planned outputs carry the purchase marker (see provider/purchaseMarker.ts) and
   * the reviewer sees it as a warning on this resource's row of a plain `pulumi preview`. A
   * resource that exists carries no marker, so a no-op preview warns about nothing.
   */
  protected warnOnPurchase(): void {
    const marker = (this as unknown as Record<string, pulumi.Output<string | undefined>>)[PURCHASE_KEY];
    marker.apply((text) => {
      if (text) void pulumi.log.warn(text, this);
    });
  }

  /**
   * Types whose create can wait for someone else's approval call this from their constructor (with
   * `awaitsApproval: undefined` among their props): a planned create that waits says so, with whom
   * and where, as a warning on its row of a plain `pulumi preview` (see provider/purchaseMarker.ts).
   */
  protected warnOnPendingApproval(): void {
    const note = (this as unknown as Record<string, pulumi.Output<string | undefined>>)[APPROVAL_KEY];
    note.apply((text) => {
      if (text) void pulumi.log.warn(text, this);
    });
  }
}
