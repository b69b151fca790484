import { describe, expect, it } from "vitest";
import { pathPatternOf } from "../../reliability/pulumiKill";

/**
 * The crash sweep finds each kill point again in a fresh run (new tenants, new ids) by its path
 * pattern: every part that varies between runs must be a wildcard.
 */
describe("the path pattern of a kill point", () => {
  it("matches the same write of another run, whose ids and alternate keys differ", () => {
    const first = "/v1.0/applications(uniqueName='pulumi-csp-ce36f54a-2a24-550f-a9bc-c268baa8e4d1')";
    const next = "/v1.0/applications(uniqueName='pulumi-csp-0f8fad5b-d9cb-469f-a165-70867728950e')";
    const { pattern, label } = pathPatternOf(first);
    expect(new RegExp(pattern).test(next)).toBe(true);
    expect(new RegExp(pattern).test("/v1.0/applications")).toBe(false);
    expect(label).toBe("/v1.0/applications(uniqueName={id})");

    const order = pathPatternOf("/v1/customers/4b827261-d21f-4aa9-b7db-7fa1f56fb163/carts");
    expect(new RegExp(order.pattern).test("/v1/customers/0f8fad5b-d9cb-469f-a165-70867728950e/carts")).toBe(
      true,
    );
    expect(order.label).toBe("/v1/customers/{id}/carts");
  });
});
