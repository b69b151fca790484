import { describe, expect, it } from "vitest";
import { optionalPeer } from "../../components/optionalPeer";

describe("optional peer dependencies", () => {
  it("loads an installed one", () => {
    const provider = optionalPeer<{ Provider: unknown }>("@pulumi/azuread/provider", "azureadProvider()");
    expect(typeof provider.Provider).toBe("function");
  });

  it("says what to install when one is missing", () => {
    const missing = (name: string) => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
    };
    expect(() =>
      optionalPeer("@pulumi/azure-native/provider", "CustomerTenant contoso: azureNativeProvider()", missing),
    ).toThrow(
      "CustomerTenant contoso: azureNativeProvider() needs the optional peer dependency @pulumi/azure-native, which is not installed: run `npm install @pulumi/azure-native` in your program's folder",
    );
  });

  it("passes on any other load error", () => {
    const broken = () => {
      throw new SyntaxError("Unexpected token");
    };
    expect(() => optionalPeer("@pulumi/azuread/provider", "azureadProvider()", broken)).toThrow(SyntaxError);
  });
});
