import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Policy } from "../pipeline";

let cachedVersion: string | undefined;

/** This package's version, read from the nearest `package.json` named `pulumi-csp` (source or `dist/`). */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "pulumi-csp" && pkg.version) {
        cachedVersion = pkg.version;
        return cachedVersion;
      }
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  cachedVersion = "0.0.0";
  return cachedVersion;
}

/** Sets `User-Agent: pulumi-csp/<version>` (Microsoft support can find our calls by it). */
export function userAgentPolicy(userAgent = `pulumi-csp/${packageVersion()}`): Policy {
  return {
    name: "userAgent",
    async send(request, next) {
      request.headers["user-agent"] = userAgent;
      return next(request);
    },
  };
}
