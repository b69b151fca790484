import { describe, expect, it } from "vitest";
import { accountField } from "../../provider/handlers/commerce/fields";
import { account } from "../../provider/handlers/identity/schemas";

describe("the account input", () => {
  it.each([
    ["eu-west", true],
    ["eu", true],
    ["EU_2", true],
    ["2nd", true],
    ["a".repeat(64), true],
    ["a b", false],
    ["", false],
    ["a".repeat(65), false],
    ["eu/west", false],
  ])("reads %j the same way in the commerce and the identity resources (valid: %s)", (name, valid) => {
    expect(accountField.safeParse(name).success).toBe(valid);
    expect(account.safeParse(name).success).toBe(valid);
  });
});
