import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { currentMcaTemplate } from "../../provider/clients/partnerCenter/agreements";
import { createHandlerContext } from "../../provider/context";
import {
  cliEnv,
  createUserWithoutMfa,
  fakePulumi,
  leakedSecrets,
  pulumiProject,
  runCliCaptured,
  ScriptedBrowser,
  tempDir,
} from "./cliTestKit";

let emu: RunningEmulator;
let browser: ScriptedBrowser;

beforeAll(async () => {
  emu = await startEmulator();
  browser = new ScriptedBrowser(emu.caCertPem);
});
afterAll(async () => {
  await browser.close();
  await emu.stop();
});
afterEach(() => {
  expect(browser.errors).toEqual([]);
});

/** Known secrets the CLI must never print. */
function secrets(extra: Record<string, string | undefined> = {}) {
  return { clientSecret: emu.seed.clientSecret, seededRefreshToken: emu.seed.refreshToken, ...extra };
}

/**
 * A Partner Center app+user call (agreement metadata requires app+user: "Get agreement metadata for
 * the Microsoft Customer Agreement",
 * https://learn.microsoft.com/partner-center/developer/get-customer-agreement-metadata) with `env`.
 */
async function appUserCall(env: Record<string, string>): Promise<string | undefined> {
  const ctx = await createHandlerContext(() => undefined, env);
  const template = await currentMcaTemplate(ctx.api().partnerCenter);
  return template?.templateId;
}

describe("pulumi-csp login", () => {
  it("signs in through the browser with PKCE, checks MFA and stores a working refresh token in a 0600 file", async () => {
    const home = tempDir("login");
    const since = (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
    const run = await runCliCaptured(["login"], {
      env: cliEnv(emu, home),
      cwd: home,
      openBrowser: browser.opener(),
    });
    expect(run.err).not.toMatch(/pulumi-csp login:/);
    expect(run.code).toBe(0);

    const path = join(home, ".config", "pulumi-csp", "default.refresh-token");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const stored = readFileSync(path, "utf8").trim();
    expect(stored).not.toBe(emu.seed.refreshToken);
    expect(run.out).toContain(`Stored the refresh token of account "default" in ${path} (mode 0600`);
    expect(run.out).toContain(`export CSP_REFRESH_TOKEN_FILE=${path}`);
    expect(run.out).toContain(`Signed in as ${emu.seed.adminAgentUpn}`);

    // The authorization request carried a PKCE challenge and went to the partner tenant.
    const authorize = (await emu.admin.requestLog({ sinceSeq: since, pathPattern: "authorize$" }))[0];
    expect(authorize?.path).toBe(`/${emu.seed.partnerTenantId}/oauth2/v2.0/authorize`);
    const q = new URLSearchParams(authorize?.query);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(q.get("scope")).toContain("https://api.partnercenter.microsoft.com/user_impersonation");
    expect(q.get("scope")).toContain("offline_access");

    // The provider reads the file through CSP_REFRESH_TOKEN_FILE and makes an app+user call with it.
    const env = { ...emu.env, CSP_REFRESH_TOKEN: "", CSP_REFRESH_TOKEN_FILE: path };
    expect(await appUserCall(env)).toBeTruthy();

    expect(leakedSecrets(run.out + run.err, secrets({ stored }))).toEqual([]);
  });

  it("with --consent first has the partner tenant's administrator grant admin consent", async () => {
    const home = tempDir("consent");
    const since = (await emu.admin.requestLog()).at(-1)?.seq ?? 0;
    const run = await runCliCaptured(["login", "--consent", "--out", "token.txt"], {
      env: cliEnv(emu, home),
      cwd: home,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(0);
    expect(run.err).toContain(`Admin consent granted in tenant ${emu.seed.partnerTenantId}`);
    const paths = (await emu.admin.requestLog({ sinceSeq: since, service: "identity" })).map((e) => e.path);
    const consent = paths.indexOf(`/${emu.seed.partnerTenantId}/adminconsent`);
    const authorize = paths.indexOf(`/${emu.seed.partnerTenantId}/oauth2/v2.0/authorize`);
    expect(consent).toBeGreaterThanOrEqual(0);
    expect(authorize).toBeGreaterThan(consent);
    expect(statSync(join(home, "token.txt")).mode & 0o777).toBe(0o600);
  });

  it("accepts the redirected address pasted on stdin when the browser is on another machine", async () => {
    const home = tempDir("paste");
    const stdin = new PassThrough();
    let pasted = false;
    const run = runCliCaptured(["login", "--no-browser", "--paste", "--out", "token.txt"], {
      env: cliEnv(emu, home),
      cwd: home,
      stdin,
      onErr: (text) => {
        const url = text.match(/https:\/\/\S+\/oauth2\/v2\.0\/authorize\?\S+/)?.[0];
        if (!url || pasted) return;
        pasted = true;
        // The remote browser signs in; its redirect to localhost never arrives here: the user copies it.
        browser
          .visit(url, (next) => next.hostname === "localhost")
          .then((r) => stdin.write(`${r.url}\n`))
          .catch((e: unknown) => browser.errors.push(e));
      },
    });
    const result = await run;
    expect(pasted).toBe(true);
    expect(result.code).toBe(0);
    expect(result.err).toContain("paste it here");
    expect(existsSync(join(home, "token.txt"))).toBe(true);
  });

  it("refuses a sign-in without multi-factor authentication and stores nothing", async () => {
    const upn = await createUserWithoutMfa(emu);
    const home = tempDir("nomfa");
    const run = await runCliCaptured(["login", "--login-hint", upn], {
      env: cliEnv(emu, home),
      cwd: home,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain(`the sign-in of ${upn} did not use multi-factor authentication`);
    expect(run.err).toContain("nothing was stored");
    expect(existsSync(join(home, ".config", "pulumi-csp"))).toBe(false);
    expect(run.out).toBe("");
    expect(leakedSecrets(run.out + run.err, secrets())).toEqual([]);
  });

  it("ends with the identity platform's error when the authorize redirect carries one", async () => {
    const home = tempDir("error");
    const run = await runCliCaptured(["login", "--login-hint", `nobody@${emu.seed.partnerDomain}`], {
      env: cliEnv(emu, home),
      cwd: home,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/pulumi-csp login: sign-in failed: access_denied: AADSTS50034/);
    expect(existsSync(join(home, ".config"))).toBe(false);
  });

  it("gives up after --timeout when no browser comes back", async () => {
    const home = tempDir("timeout");
    const run = await runCliCaptured(["login", "--no-browser", "--timeout", "0.3"], {
      env: cliEnv(emu, home),
      cwd: home,
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("Open this URL in a browser");
    expect(run.err).toContain("no answer from the browser within 0.3 s");
  });

  it("names the missing credentials before opening anything", async () => {
    const home = tempDir("nocreds");
    let opened = false;
    const run = await runCliCaptured(["login"], {
      env: cliEnv(emu, home, { CSP_CLIENT_SECRET: undefined }),
      cwd: home,
      openBrowser: async () => {
        opened = true;
        return true;
      },
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("CSP_CLIENT_SECRET (or csp:clientSecret)");
    expect(opened).toBe(false);
  });

  it("with the pulumi CLI in a Pulumi project stores the token as a secret stack value, passed on stdin", async () => {
    const dir = tempDir("pulumi");
    const fake = fakePulumi(dir);
    const project = pulumiProject(dir);
    const run = await runCliCaptured(["login", "--stack", "dev"], {
      env: cliEnv(emu, dir, { PATH: fake.binDir }),
      cwd: project,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(0);
    const args = readFileSync(fake.argsFile, "utf8").trim().split("\n");
    expect(args).toEqual([
      "config",
      "set",
      "--secret",
      "csp:refreshToken",
      "--stack",
      "dev",
      "--non-interactive",
    ]);
    const token = readFileSync(fake.stdinFile, "utf8");
    expect(token.length).toBeGreaterThan(20);
    expect(args.join(" ")).not.toContain(token);
    expect(run.out).toContain("as the secret stack config value csp:refreshToken of stack dev");
    expect(existsSync(join(dir, ".config"))).toBe(false);
    // What went to `pulumi config set` is a working refresh token.
    expect(await appUserCall({ ...emu.env, CSP_REFRESH_TOKEN: token })).toBeTruthy();
    expect(leakedSecrets(run.out + run.err, secrets({ token }))).toEqual([]);
  });

  it("with --no-stack leaves the stack config alone and writes the file", async () => {
    const dir = tempDir("nostack");
    const fake = fakePulumi(dir);
    const project = pulumiProject(dir);
    const run = await runCliCaptured(["login", "--no-stack"], {
      env: cliEnv(emu, dir, { PATH: fake.binDir }),
      cwd: project,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(0);
    expect(existsSync(fake.argsFile)).toBe(false);
    expect(statSync(join(dir, ".config", "pulumi-csp", "default.refresh-token")).mode & 0o777).toBe(0o600);
  });

  it("falls back to the file, saying why, when pulumi config set fails", async () => {
    const dir = tempDir("pulumifail");
    const fake = fakePulumi(dir);
    writeFileSync(
      join(fake.binDir, "pulumi"),
      "#!/bin/sh\nif [ \"$2\" = \"set\" ]; then echo 'error: no stack selected' >&2; exit 255; fi\necho '{}'\n",
    );
    const project = pulumiProject(dir);
    const run = await runCliCaptured(["login"], {
      env: cliEnv(emu, dir, { PATH: fake.binDir }),
      cwd: project,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(0);
    expect(run.out).toContain("pulumi config set failed: error: no stack selected");
    const path = join(dir, ".config", "pulumi-csp", "default.refresh-token");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("replaces an existing token file that was readable by others with a 0600 one", async () => {
    const home = tempDir("replace");
    const path = join(home, "old-token");
    writeFileSync(path, "old\n", { mode: 0o644 });
    const run = await runCliCaptured(["login", "--out", path], {
      env: cliEnv(emu, home),
      cwd: home,
      openBrowser: browser.opener(),
    });
    expect(run.code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).not.toBe("old\n");
  });
});
