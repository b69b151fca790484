import { randomUUID } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Agent, request } from "undici";
import type { CliIo } from "../../cli/cliIo";
import { runCli } from "../../cli/runCli";
import type { RunningEmulator } from "../../emulator/index";

/** Captured output of an in-process CLI run. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * A stand-in for the user's browser: follows the redirects of a URL (the emulator's authorize or
 * admin-consent endpoint answers with a 302 at once, playing the signed-in admin) up to and
 * including the request to the CLI's `http://localhost:PORT/` listener.
 */
export class ScriptedBrowser {
  private readonly agent: Agent;
  /** URLs visited, in order. */
  readonly visits: string[] = [];
  /** Errors of visits started in the background by `openBrowser`. */
  readonly errors: unknown[] = [];

  constructor(caCertPem: string) {
    this.agent = new Agent({ connect: { ca: caCertPem } });
  }

  /** Visits `url` and follows redirects; stops before `stopAt` when given (returns that URL unvisited). */
  async visit(
    url: string,
    stopAt?: (next: URL) => boolean,
  ): Promise<{ status: number; url: string; body: string }> {
    let current = url;
    for (let hop = 0; hop < 6; hop++) {
      this.visits.push(current);
      const res = await request(current, { dispatcher: this.agent, method: "GET" });
      const body = await res.body.text();
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === "string") {
        const next = new URL(location, current);
        if (stopAt?.(next)) return { status: res.statusCode, url: next.toString(), body };
        current = next.toString();
        continue;
      }
      return { status: res.statusCode, url: current, body };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** `CliIo.openBrowser` that visits in the background, like a real browser would. */
  opener(): (url: string) => Promise<boolean> {
    return async (url) => {
      this.visit(url).catch((e: unknown) => this.errors.push(e));
      return true;
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export interface IoOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  openBrowser?: (url: string) => Promise<boolean>;
  stdin?: PassThrough;
  /** Called with stderr text as it is written (e.g. to react to a printed URL). */
  onErr?: (text: string) => void;
}

/** Runs `pulumi-csp <argv>` in-process with captured output. */
export async function runCliCaptured(argv: string[], options: IoOptions): Promise<CliRun> {
  let out = "";
  let err = "";
  const io: CliIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
      options.onErr?.(t);
    },
    stdin: options.stdin ?? new PassThrough(),
    env: options.env,
    cwd: options.cwd,
    openBrowser: options.openBrowser ?? (async () => false),
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** A fresh temporary directory. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `pulumi-csp-cli-${label}-`));
}

/**
 * The emulator's environment for a CLI run: no refresh token (login writes one), HOME in a
 * temporary directory, and a PATH without a `pulumi` CLI unless `binDir` is given.
 */
export function cliEnv(
  emu: RunningEmulator,
  home: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...emu.env,
    HOME: home,
    PATH: "",
    XDG_CONFIG_HOME: undefined,
  };
  delete env.CSP_REFRESH_TOKEN;
  return { ...env, ...extra };
}

/**
 * A fake `pulumi` executable for PATH: `pulumi config set ...` records its arguments and its
 * standard input; `pulumi config --json ...` prints `configJson`.
 */
export function fakePulumi(
  dir: string,
  configJson = "{}",
): { binDir: string; argsFile: string; stdinFile: string } {
  const binDir = join(dir, "bin");
  mkdirSync(binDir, { recursive: true });
  const argsFile = join(dir, "pulumi-args.txt");
  const stdinFile = join(dir, "pulumi-stdin.txt");
  const configFile = join(dir, "pulumi-config.json");
  writeFileSync(configFile, configJson);
  const script = `#!/bin/sh
PATH=/usr/bin:/bin:$PATH
if [ "$1" = "config" ] && [ "$2" = "set" ]; then
  printf '%s\\n' "$@" > '${argsFile}'
  cat > '${stdinFile}'
  exit 0
fi
if [ "$1" = "config" ]; then
  cat '${configFile}'
  exit 0
fi
echo "fake pulumi: unsupported command $*" >&2
exit 3
`;
  const path = join(binDir, "pulumi");
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return { binDir, argsFile, stdinFile };
}

/** A Pulumi project directory (only `Pulumi.yaml`). */
export function pulumiProject(dir: string): string {
  const project = join(dir, "project");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "Pulumi.yaml"), "name: csp\nruntime: nodejs\n");
  return project;
}

/** POSTs a form to the emulator's token endpoint of `tenant`. */
export async function tokenRequest(
  emu: RunningEmulator,
  agent: Agent,
  tenant: string,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const res = await request(`${emu.url}/${tenant}/oauth2/v2.0/token`, {
    dispatcher: agent,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return (await res.body.json()) as Record<string, unknown>;
}

/**
 * Creates a user without MFA in the partner tenant (through Graph, as the partner's admin agent)
 * and returns its UPN: a sign-in with `login_hint` = this UPN carries no `mfa` in `amr`.
 */
export async function createUserWithoutMfa(emu: RunningEmulator): Promise<string> {
  const agent = new Agent({ connect: { ca: emu.caCertPem } });
  try {
    const token = await tokenRequest(emu, agent, emu.seed.partnerTenantId, {
      grant_type: "refresh_token",
      client_id: emu.seed.clientId,
      client_secret: emu.seed.clientSecret,
      refresh_token: emu.seed.refreshToken,
      scope: "https://graph.microsoft.com/User.ReadWrite.All",
    });
    const upn = `nomfa${randomUUID().slice(0, 8)}@${emu.seed.partnerDomain}`;
    const res = await request(`${emu.url}/graph/v1.0/users`, {
      dispatcher: agent,
      method: "POST",
      headers: { authorization: `Bearer ${String(token.access_token)}`, "content-type": "application/json" },
      body: JSON.stringify({
        accountEnabled: true,
        displayName: "No MFA",
        mailNickname: "nomfa",
        userPrincipalName: upn,
        passwordProfile: { password: "Pa55word!Pa55word", forceChangePasswordNextSignIn: false },
      }),
    });
    const body = await res.body.text();
    if (res.statusCode !== 201) throw new Error(`creating the user failed: ${res.statusCode} ${body}`);
    return upn;
  } finally {
    await agent.close();
  }
}

/**
 * A refresh token of `upn` for the partner app, from an authorization-code sign-in at the
 * emulator (no PKCE, no browser): what a user would get from a sign-in without the CLI's checks.
 */
export async function refreshTokenFor(emu: RunningEmulator, upn: string): Promise<string> {
  const agent = new Agent({ connect: { ca: emu.caCertPem } });
  try {
    const scope = "https://api.partnercenter.microsoft.com/user_impersonation offline_access openid";
    const q = new URLSearchParams({
      client_id: emu.seed.clientId,
      response_type: "code",
      redirect_uri: "http://localhost:1/",
      scope,
      state: "s",
      login_hint: upn,
    });
    const auth = await request(`${emu.url}/${emu.seed.partnerTenantId}/oauth2/v2.0/authorize?${q}`, {
      dispatcher: agent,
    });
    await auth.body.dump();
    const code = new URL(String(auth.headers.location)).searchParams.get("code");
    if (!code) throw new Error(`no code: ${String(auth.headers.location)}`);
    const token = await tokenRequest(emu, agent, emu.seed.partnerTenantId, {
      grant_type: "authorization_code",
      client_id: emu.seed.clientId,
      client_secret: emu.seed.clientSecret,
      code,
      redirect_uri: "http://localhost:1/",
      scope,
    });
    if (typeof token.refresh_token !== "string")
      throw new Error(`no refresh token: ${JSON.stringify(token)}`);
    return token.refresh_token;
  } finally {
    await agent.close();
  }
}

/** Asserts-friendly: which known secrets appear in `text` (by name). */
export function leakedSecrets(text: string, secrets: Record<string, string | undefined>): string[] {
  const leaks = Object.entries(secrets)
    .filter(([, v]) => v && v.length >= 8 && text.includes(v))
    .map(([k]) => k);
  if (/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text)) leaks.push("a JWT");
  return leaks;
}
