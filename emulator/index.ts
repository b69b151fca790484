import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { armModule } from "./arm/index";
import { createAdminModule } from "./common/adminModule";
import { EmulatorAdmin } from "./common/emulatorAdmin";
import { EmulatorRuntime } from "./common/emulatorRuntime";
import { createEmptyState, DEFAULT_SETTINGS } from "./common/initialState";
import { EmulatorServer } from "./common/server";
import type { EmulatorSettings, EmulatorState } from "./common/state";
import { createFileStore, createMemoryStore } from "./common/stateStore";
import { clientCertificatePem, loadTlsMaterial } from "./common/tls";
import { TokenSigner } from "./common/tokenSigner";
import { graphModule } from "./graph/index";
import {
  createLoginModule,
  generateSeedAccount,
  type SeedAccount,
  seededSecurityGroupIds,
  seedWorld,
} from "./login/index";
import { partnerCenterModule } from "./partnerCenter/index";

export type {
  ActiveFault,
  EmulatorSettingsPatch,
  Fault,
  FaultAction,
  RequestLogEntry,
  RequestLogFilter,
} from "./common/adminTypes";
export { EmulatorAdmin } from "./common/emulatorAdmin";
export type { EmulatorSettings, EmulatorState } from "./common/state";
export type { SeedAccount } from "./login/index";

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Keep CA, signing key, seeded credentials and state here (file-backed, crash-safe); in memory when absent. */
  dataDir?: string;
  /** Integration-sandbox behaviour (default true). */
  sandbox?: boolean;
  /** Latency added to every API request, in ms (default 0). */
  latencyMs?: number;
  /** Enforce the documented Partner Center rate limits (default false). */
  enforceRateLimits?: boolean;
  /** ARM PrincipalNotFound window after a principal is created, in ms (default 0). */
  replicationDelayMs?: number;
  /** Seeded partner accounts: 1 (default) or more; the second is named `eu` (`CSP_ACCOUNT_EU_*`). */
  partners?: number;
  /**
   * Also seed the indirect model: an indirect provider account `indirect` (`CSP_ACCOUNT_INDIRECT_*`)
   * and its indirect reseller `reseller` (`CSP_ACCOUNT_RESELLER_*`), linked by an active
   * relationship (default false).
   */
  indirect?: boolean;
  /** GDAP relationships are approved as soon as they are locked for approval (default false). */
  autoApproveGdap?: boolean;
}

/** The seeded credentials of the default partner account (see {@link SeedAccount} for all fields). */
export type EmulatorSeed = SeedAccount;

/** A running emulator. */
export interface RunningEmulator {
  /** `https://127.0.0.1:PORT` (Entra ID at the root; `/partnercenter`, `/graph`, `/arm`, `/_emulator`). */
  url: string;
  port: number;
  /** Path of the CA certificate (PEM) clients must trust. */
  caCertPath: string;
  caCertPem: string;
  /** Every environment variable a program or the provider needs (credentials included). */
  env: Record<string, string>;
  /** The default partner account. */
  seed: EmulatorSeed;
  /** All seeded partner accounts, the default one first. */
  accounts: SeedAccount[];
  admin: EmulatorAdmin;
  stop(): Promise<void>;
  /** Back to the seeded world (same credentials), start settings, no faults, empty request log. */
  reset(): Promise<void>;
}

const SEED_FILE = "seed.json";

function accountName(index: number): string {
  return index === 0 ? "default" : index === 1 ? "eu" : `p${index + 1}`;
}

/** A seeded account the options ask for: its name, and for the indirect model its kind and provider. */
interface WantedAccount {
  name: string;
  partnerKind?: SeedAccount["partnerKind"];
  /** Name of the indirect provider account of an indirect reseller. */
  indirectProvider?: string;
}

function wantedAccounts(options: StartEmulatorOptions): WantedAccount[] {
  const wanted: WantedAccount[] = Array.from({ length: Math.max(1, options.partners ?? 1) }, (_, i) => ({
    name: accountName(i),
  }));
  if (options.indirect) {
    wanted.push(
      { name: "indirect", partnerKind: "indirectProvider" },
      { name: "reseller", partnerKind: "indirectReseller", indirectProvider: "indirect" },
    );
  }
  return wanted;
}

async function loadSeedAccounts(
  dataDir: string | undefined,
  wanted: WantedAccount[],
): Promise<{ accounts: SeedAccount[]; added: SeedAccount[] }> {
  let accounts: SeedAccount[] = [];
  const path = dataDir ? join(dataDir, SEED_FILE) : undefined;
  if (path) {
    try {
      accounts = JSON.parse(readFileSync(path, "utf8")) as SeedAccount[];
    } catch {
      accounts = [];
    }
  }
  // Seed files written before the GDAP security groups existed: their ids derive from the tenant.
  for (const a of accounts) Object.assign(a, seededSecurityGroupIds(a.partnerTenantId));
  const added: SeedAccount[] = [];
  for (const want of wanted) {
    if (accounts.some((a) => a.name === want.name)) continue;
    const provider = want.indirectProvider
      ? accounts.find((a) => a.name === want.indirectProvider)?.partnerTenantId
      : undefined;
    const account = generateSeedAccount(want.name, await clientCertificatePem(), {
      ...(want.partnerKind ? { partnerKind: want.partnerKind } : {}),
      ...(provider ? { indirectProviderTenantId: provider } : {}),
    });
    accounts.push(account);
    added.push(account);
  }
  // The seed holds the emulator's own test credentials; kept beside the state, readable by the owner only.
  if (path && added.length > 0) writeFileSync(path, JSON.stringify(accounts, null, 2), { mode: 0o600 });
  return { accounts, added };
}

/** Environment variables for the configured accounts (names from `provider/configTypes.ts`). */
function buildEnv(
  url: string,
  caCertPath: string,
  sandbox: boolean,
  accounts: SeedAccount[],
): Record<string, string> {
  const env: Record<string, string> = {
    CSP_CLOUD: "emulator",
    CSP_LOGIN_URL: url,
    CSP_PARTNER_CENTER_URL: `${url}/partnercenter`,
    CSP_GRAPH_URL: `${url}/graph`,
    CSP_ARM_URL: `${url}/arm`,
    CSP_CA_CERT: caCertPath,
    NODE_EXTRA_CA_CERTS: caCertPath,
    CSP_SANDBOX: sandbox ? "true" : "false",
  };
  accounts.forEach((a, i) => {
    const prefix = i === 0 ? "CSP_" : `CSP_ACCOUNT_${a.name.toUpperCase()}_`;
    env[`${prefix}TENANT_ID`] = a.partnerTenantId;
    env[`${prefix}CLIENT_ID`] = a.clientId;
    env[`${prefix}CLIENT_SECRET`] = a.clientSecret;
    env[`${prefix}REFRESH_TOKEN`] = a.refreshToken;
  });
  return env;
}

/**
 * Starts the emulator of Entra ID, Partner Center, Graph and ARM on one HTTPS origin, seeded with
 * a partner account. In memory unless `dataDir` is given.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { dataDir } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const [tls, signer] = await Promise.all([loadTlsMaterial(dataDir), TokenSigner.load(dataDir)]);
  const { accounts, added } = await loadSeedAccounts(dataDir, wantedAccounts(options));

  for (const account of accounts) {
    if (!account.clientCertificatePem) continue;
    account.clientCertificatePath = join(
      dataDir ?? dirname(tls.caCertPath),
      `client-certificate-${account.name}.pem`,
    );
    writeFileSync(account.clientCertificatePath, account.clientCertificatePem, { mode: 0o600 });
  }

  const explicit: Partial<EmulatorSettings> = {};
  if (options.sandbox !== undefined) explicit.sandbox = options.sandbox;
  if (options.latencyMs !== undefined) explicit.latencyMs = options.latencyMs;
  if (options.enforceRateLimits !== undefined) explicit.enforceRateLimits = options.enforceRateLimits;
  if (options.replicationDelayMs !== undefined) explicit.replicationDelayMs = options.replicationDelayMs;
  if (options.autoApproveGdap !== undefined) explicit.autoApproveGdap = options.autoApproveGdap;
  const startSettings: EmulatorSettings = { ...DEFAULT_SETTINGS, ...explicit };

  const freshState = (): EmulatorState => {
    const state = createEmptyState(startSettings);
    const now = new Date();
    for (const account of accounts) seedWorld(state, account, now);
    return state;
  };

  const store = dataDir ? createFileStore(dataDir) : createMemoryStore();
  let state = store.load();
  if (state) {
    Object.assign(state.settings, explicit);
    const now = new Date(Date.now() + state.settings.clockOffsetMs);
    for (const account of added) seedWorld(state, account, now);
  } else {
    state = freshState();
  }
  store.save(state);

  const runtime = new EmulatorRuntime(state, store, signer, freshState);
  let info: Record<string, unknown> = {};
  const server = new EmulatorServer(runtime, [
    createLoginModule({ signer }),
    partnerCenterModule,
    graphModule,
    armModule,
    createAdminModule(runtime, () => info),
  ]);
  const listening = await listenOnRememberedPort(server, tls, options);
  const url = listening.origin;
  const env = buildEnv(url, tls.caCertPath, startSettings.sandbox, accounts);
  info = { url, caCert: tls.caCertPath, env, accounts };
  const admin = new EmulatorAdmin(url, tls.caCertPem);
  return {
    url,
    port: listening.port,
    caCertPath: tls.caCertPath,
    caCertPem: tls.caCertPem,
    env,
    seed: accounts[0],
    accounts,
    admin,
    stop: async () => {
      admin.close();
      await listening.close();
    },
    reset: async () => {
      runtime.reset();
    },
  };
}

/**
 * With a data directory and no `port` option, the emulator listens on the port it had last time
 * (kept in `<dataDir>/port`) when that port is free, so the CSP_*_URL values a shell or a stack
 * already holds stay valid across restarts; otherwise on a free port.
 */
async function listenOnRememberedPort(
  server: EmulatorServer,
  tls: Awaited<ReturnType<typeof loadTlsMaterial>>,
  options: StartEmulatorOptions,
): Promise<Awaited<ReturnType<EmulatorServer["listen"]>>> {
  const portFile = options.dataDir && options.port === undefined ? join(options.dataDir, "port") : undefined;
  let remembered: number | undefined;
  try {
    remembered = portFile ? Number(readFileSync(portFile, "utf8").trim()) || undefined : undefined;
  } catch {
    remembered = undefined;
  }
  let listening: Awaited<ReturnType<EmulatorServer["listen"]>>;
  try {
    listening = await server.listen(tls, { port: options.port ?? remembered ?? 0, host: options.host });
  } catch (e) {
    if (remembered === undefined || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    listening = await server.listen(tls, { port: 0, host: options.host });
  }
  if (portFile) writeFileSync(portFile, `${listening.port}\n`);
  return listening;
}
