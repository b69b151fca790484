import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index";
import { ask } from "./coreTestKit";

/**
 * msal-node with its DEFAULT network client (node https), trusting the emulator through
 * NODE_EXTRA_CA_CERTS, which node reads only at process start: hence a child process.
 */
const CHILD = `
const msal = require("@azure/msal-node");
const input = JSON.parse(process.argv[2]);
(async () => {
  const app = new msal.ConfidentialClientApplication({
    auth: {
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      authority: input.authority,
      knownAuthorities: [input.host],
      authorityMetadata: input.metadata,
    },
  });
  const out = {};
  const cc = await app.acquireTokenByClientCredential({ scopes: ["https://api.partnercenter.microsoft.com/.default"] });
  out.appToken = cc.accessToken;
  const rt = await app.acquireTokenByRefreshToken({
    refreshToken: input.refreshToken,
    scopes: ["https://management.azure.com/user_impersonation"],
  });
  out.userToken = rt.accessToken;
  out.account = { homeAccountId: rt.account.homeAccountId, tenantId: rt.account.tenantId, username: rt.account.username };
  try {
    await new msal.ConfidentialClientApplication({
      auth: { clientId: input.clientId, clientSecret: "not-the-secret", authority: input.authority,
              knownAuthorities: [input.host], authorityMetadata: input.metadata },
    }).acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
    out.wrongSecret = "no error";
  } catch (e) {
    out.wrongSecret = { errorCode: e.errorCode, message: String(e.errorMessage || e.message).split("\\n")[0] };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

function runChild(env: NodeJS.ProcessEnv, input: unknown): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "msal-child-"));
  const script = join(dir, "child.cjs");
  writeFileSync(script, CHILD);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, JSON.stringify(input)],
      // cwd = repository root so that require("@azure/msal-node") resolves; NODE_PATH for the temp script.
      {
        env: { ...env, NODE_PATH: join(process.cwd(), "node_modules") },
        cwd: process.cwd(),
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

function claims(jwt: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split(".")[1], "base64url").toString("utf8"));
}

describe("msal-node against the emulator's Entra ID", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.stop();
  });

  it("gets an app-only and an app+user token with exactly one request each, trusting the CA through NODE_EXTRA_CA_CERTS", async () => {
    const tenant = emu.seed.partnerTenantId;
    const metadata = await ask(emu, { path: `/${tenant}/v2.0/.well-known/openid-configuration` });
    expect(metadata.status).toBe(200);
    await emu.admin.clearRequestLog();

    const out = await runChild(
      { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: emu.caCertPath },
      {
        clientId: emu.seed.clientId,
        clientSecret: emu.seed.clientSecret,
        refreshToken: emu.seed.refreshToken,
        authority: `${emu.url}/${tenant}`,
        host: new URL(emu.url).host,
        metadata: metadata.text,
      },
    );

    const app = claims(out.appToken);
    expect(app).toMatchObject({
      aud: "https://api.partnercenter.microsoft.com",
      tid: tenant,
      appid: emu.seed.clientId,
      idtyp: "app",
    });
    const user = claims(out.userToken);
    expect(user).toMatchObject({
      aud: "https://management.azure.com/",
      tid: tenant,
      oid: emu.seed.adminAgentUserId,
      idtyp: "user",
      scp: "user_impersonation",
    });
    expect(user.amr).toContain("mfa");
    expect(out.account).toMatchObject({
      homeAccountId: `${emu.seed.adminAgentUserId}.${tenant}`,
      tenantId: tenant,
      username: emu.seed.adminAgentUpn,
    });
    expect(out.wrongSecret).toMatchObject({ errorCode: "invalid_client" });
    expect(String((out.wrongSecret as { message: string }).message)).toContain("AADSTS7000215");

    const log = await emu.admin.requestLog();
    expect(log.map((e) => `${e.service} ${e.method} ${e.path} ${e.status}`)).toEqual([
      `identity POST /${tenant}/oauth2/v2.0/token 200`,
      `identity POST /${tenant}/oauth2/v2.0/token 200`,
      `identity POST /${tenant}/oauth2/v2.0/token 401`,
    ]);
  });
});
