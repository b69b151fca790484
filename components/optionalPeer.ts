/**
 * Loads an optional peer dependency (`@pulumi/azuread`, `@pulumi/azure-native`) on first use: the
 * package does not install them, since only `CustomerTenant.azureadProvider()` and
 * `azureNativeProvider()` need them and `@pulumi/azure-native` alone weighs well over 100 MB. A
 * program that calls one without the package installed gets an error saying what to install.
 */
export function optionalPeer<T>(
  moduleName: string,
  usedBy: string,
  load: (name: string) => unknown = require,
): T {
  try {
    return load(moduleName) as T;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") throw e;
    const pkg = moduleName.split("/").slice(0, 2).join("/");
    throw new Error(
      `${usedBy} needs the optional peer dependency ${pkg}, which is not installed: run \`npm install ${pkg}\` in your program's folder`,
      { cause: e },
    );
  }
}
