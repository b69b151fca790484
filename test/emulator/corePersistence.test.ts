import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { assertBuilt, sourcesUnder } from "../support/distFreshness";
import { appForm, ask, tokenRequest, userForm } from "./coreTestKit";

const PC = "https://api.partnercenter.microsoft.com";

describe("file-backed emulator", () => {
  it("keeps its CA, seeded credentials, signing key and state across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-data-"));
    const first = await startEmulator({ dataDir });
    const tenant = first.seed.partnerTenantId;
    const rotated = await tokenRequest(first, tenant, userForm(first, `${PC}/user_impersonation`));
    const appToken = (await tokenRequest(first, tenant, appForm(first, `${PC}/.default`))).body.access_token;
    await first.stop();
    expect(readdirSync(dataDir).filter((n) => n.endsWith(".tmp"))).toEqual([]);

    const second = await startEmulator({ dataDir });
    try {
      expect(second.seed).toEqual(first.seed);
      expect(second.caCertPem).toBe(first.caCertPem);
      expect(second.caCertPath).toBe(join(dataDir, "ca.pem"));
      const again = await tokenRequest(
        second,
        tenant,
        userForm(second, `${PC}/user_impersonation`, String(rotated.body.refresh_token)),
      );
      expect(again.status).toBe(200);
      const listed = await ask(second, {
        path: "/partnercenter/v1/customers",
        headers: { authorization: `Bearer ${appToken}` },
      });
      expect(listed.status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("ignores the temp file of a write that was killed before its rename, loading the last complete state", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-data-"));
    const first = await startEmulator({ dataDir });
    const rotated = await tokenRequest(
      first,
      first.seed.partnerTenantId,
      userForm(first, `${PC}/user_impersonation`),
    );
    await first.stop();
    const complete = readFileSync(join(dataDir, "state.json"), "utf8");
    // What a kill in the middle of writeSync leaves behind: a truncated temp file.
    writeFileSync(join(dataDir, "state.json.99999.tmp"), complete.slice(0, complete.length / 2));

    const second = await startEmulator({ dataDir });
    try {
      expect(existsSync(join(dataDir, "state.json.99999.tmp"))).toBe(false);
      const again = await tokenRequest(
        second,
        second.seed.partnerTenantId,
        userForm(second, `${PC}/user_impersonation`, String(rotated.body.refresh_token)),
      );
      expect(again.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

/** The compiled emulator CLI; `npm test` builds dist/ first, a stale build fails loudly. */
function ensureBuilt(): string {
  const root = process.cwd();
  assertBuilt(root, sourcesUnder(root, "emulator"));
  return join(root, "dist/emulator/main.js");
}

describe("npm run emulator", () => {
  it("prints one JSON line with url, caCert and env, serves over HTTPS, and exits cleanly on SIGTERM", async () => {
    const main = ensureBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    const child = spawn(process.execPath, [main, "--port", "0", "--data-dir", dataDir, "--no-sandbox"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", () => reject(new Error("emulator exited before printing")));
    });
    const printed = JSON.parse(line);
    expect(printed.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.caCert).toBe(join(dataDir, "ca.pem"));
    expect(printed.env).toMatchObject({
      CSP_CLOUD: "emulator",
      CSP_LOGIN_URL: printed.url,
      CSP_PARTNER_CENTER_URL: `${printed.url}/partnercenter`,
      CSP_GRAPH_URL: `${printed.url}/graph`,
      CSP_ARM_URL: `${printed.url}/arm`,
      CSP_CA_CERT: printed.caCert,
      NODE_EXTRA_CA_CERTS: printed.caCert,
      CSP_SANDBOX: "false",
    });
    for (const name of ["CSP_TENANT_ID", "CSP_CLIENT_ID", "CSP_CLIENT_SECRET", "CSP_REFRESH_TOKEN"]) {
      expect(printed.env[name]).toEqual(expect.any(String));
    }
    const emu = { url: printed.url, caCertPem: readFileSync(printed.caCert, "utf8") } as Parameters<
      typeof ask
    >[0];
    const token = await tokenRequest(emu, printed.env.CSP_TENANT_ID, {
      grant_type: "client_credentials",
      client_id: printed.env.CSP_CLIENT_ID,
      client_secret: printed.env.CSP_CLIENT_SECRET,
      scope: `${PC}/.default`,
    });
    expect(token.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("reuses its data directory's port across restarts and writes the env as shell exports with --write-env", async () => {
    const main = ensureBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), "emu-port-"));
    const envFile = join(dataDir, "emulator.env");
    const start = async (args: string[]) => {
      const child = spawn(process.execPath, [main, "--data-dir", dataDir, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", () => reject(new Error("emulator exited before printing")));
      });
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(line) as { port: number; env: Record<string, string> };
    };
    const first = await start(["--write-env", envFile]);
    const second = await start([]);
    expect(second.port).toBe(first.port);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const sourced = spawnSync(
      "bash",
      ["-c", `source '${envFile}'; printf '%s\\n' "$CSP_LOGIN_URL" "$CSP_CLIENT_SECRET"`],
      {
        encoding: "utf8",
      },
    );
    expect(sourced.stdout.trim().split("\n")).toEqual([first.env.CSP_LOGIN_URL, first.env.CSP_CLIENT_SECRET]);
  });

  it("leaves a complete state file when killed with SIGKILL in the middle of writes", async () => {
    const main = ensureBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), "emu-kill-"));
    const child = spawn(process.execPath, [main, "--port", "0", "--data-dir", dataDir], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const printed = JSON.parse(
      await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve)),
    );
    const emu = { url: printed.url, caCertPem: readFileSync(printed.caCert, "utf8") } as Parameters<
      typeof ask
    >[0];
    const form = {
      grant_type: "refresh_token",
      client_id: printed.env.CSP_CLIENT_ID,
      client_secret: printed.env.CSP_CLIENT_SECRET,
      refresh_token: printed.env.CSP_REFRESH_TOKEN,
      scope: `${PC}/user_impersonation offline_access`,
    };
    const inFlight = Array.from({ length: 40 }, () =>
      tokenRequest(emu, printed.env.CSP_TENANT_ID, form).catch(() => undefined),
    );
    await Promise.race(inFlight);
    child.kill("SIGKILL");
    await Promise.all(inFlight);
    await exited;

    const state = JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8"));
    expect(Object.keys(state.identity.refreshTokens).length).toBeGreaterThanOrEqual(1);
    const restarted = await startEmulator({ dataDir });
    try {
      expect(restarted.env.CSP_REFRESH_TOKEN).toBe(printed.env.CSP_REFRESH_TOKEN);
      expect((await tokenRequest(restarted, restarted.seed.partnerTenantId, form)).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });
});
