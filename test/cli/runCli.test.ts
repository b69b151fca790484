import { describe, expect, it } from "vitest";
import { decodeJwtClaims, hasMfa } from "../../cli/jwtClaims";
import { parseRedirect } from "../../cli/login";
import { redactSecrets } from "../../cli/redactSecrets";
import { defaultTokenPath, fileVariable, stackKey } from "../../cli/refreshTokenStore";
import { runCliCaptured, tempDir } from "./cliTestKit";

const cwd = tempDir("runcli");
const run = (argv: string[]) => runCliCaptured(argv, { env: { PATH: "" }, cwd });

describe("pulumi-csp command line", () => {
  it("prints the commands for --help and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["login", "doctor", "consent-url"]) expect(r.out).toContain(`  ${command} `);
  });

  it("prints each command's flags for <command> --help and help <command>", async () => {
    expect((await run(["login", "--help"])).out).toContain("--no-browser");
    expect((await run(["doctor", "-h"])).out).toContain("--gdap-relationship ID");
    expect((await run(["help", "consent-url"])).out).toContain("--redirect-uri URI");
  });

  it("answers an unknown command or no command with the usage on stderr and exit code 2", async () => {
    for (const argv of [["deploy"], []]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain("usage: pulumi-csp <command>");
      expect(r.out).toBe("");
    }
    expect((await run(["deploy"])).err).toContain('unknown command "deploy"');
  });

  it("answers an unknown flag or a bad value with the command's usage and exit code 2", async () => {
    const flag = await run(["doctor", "--verbose"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("Unknown option '--verbose'");
    expect(flag.err).toContain("usage: pulumi-csp doctor");
    const timeout = await run(["login", "--timeout", "soon"]);
    expect(timeout.code).toBe(2);
    expect(timeout.err).toContain("--timeout needs a positive number of seconds");
    const account = await run(["login", "--account", "../etc"]);
    expect(account.code).toBe(2);
  });
});

describe("CLI helpers", () => {
  it("reads a pasted redirect as a full URL or as its query, and ignores other text", () => {
    expect(parseRedirect("http://localhost:5000/?code=abc&state=s1")?.get("code")).toBe("abc");
    expect(parseRedirect("code=abc&state=s1")?.get("state")).toBe("s1");
    expect(parseRedirect("?error=access_denied&state=s")?.get("error")).toBe("access_denied");
    expect(parseRedirect("hello")).toBeUndefined();
    expect(parseRedirect("")).toBeUndefined();
  });

  it("finds mfa in the amr claim of a JWT and nothing in an opaque token", () => {
    const jwt = (claims: object) =>
      `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
    expect(hasMfa(decodeJwtClaims(jwt({ amr: ["pwd", "mfa"] })))).toBe(true);
    expect(hasMfa(decodeJwtClaims(jwt({ amr: ["pwd"] })))).toBe(false);
    expect(decodeJwtClaims("0.AbCdEf")).toBeUndefined();
  });

  it("redacts known secret values and anything shaped like a JWT", () => {
    const text = "secret Abc8Q~supersecretvalue and eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl here";
    const out = redactSecrets(text, ["Abc8Q~supersecretvalue"]);
    expect(out).not.toContain("supersecret");
    expect(out).not.toContain("eyJhbGciOi.eyJzdWIiOiIx");
  });

  it("stores named accounts under csp:accounts and in their own file and variable", () => {
    expect(stackKey("default")).toBe("csp:refreshToken");
    expect(stackKey("eu")).toBe("csp:accounts.eu.refreshToken");
    expect(fileVariable("eu")).toBe("CSP_ACCOUNT_EU_REFRESH_TOKEN_FILE");
    expect(defaultTokenPath({ HOME: "/home/a" }, "eu")).toBe("/home/a/.config/pulumi-csp/eu.refresh-token");
    expect(defaultTokenPath({ HOME: "/home/a", XDG_CONFIG_HOME: "/x" }, "default")).toBe(
      "/x/pulumi-csp/default.refresh-token",
    );
  });
});
