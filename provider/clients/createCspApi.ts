import type { Dispatcher } from "undici";
import { createMsalTokenProvider } from "../auth/msalTokenProvider";
import type { TokenProvider } from "../auth/tokenProvider";
import type { AccountCredentials, CspConfig } from "../configTypes";
import { configError } from "../errors";
import { createDispatcher } from "../http/dispatcher";
import { createSlidingWindowLimiter, type RateLimiter } from "../http/rateLimiter";
import { createServiceClient, type ServiceClientOptions } from "../http/serviceClient";
import { createFileTraceSink, type TraceSink } from "../http/traceSink";
import type { ApiRequest, ServiceClient } from "../http/types";
import type { CspApi } from "./cspApi";
import { createProcessMemo } from "./processMemo";

/** Test and embedding seams of {@link createCspApi}; production code passes none. */
export interface CspApiOptions {
  /** Network seam (default: one shared undici Agent / proxy agent per configuration). */
  dispatcher?: Dispatcher;
  /** Token source (default: msal with the account's credentials over the same dispatcher). */
  tokens?: TokenProvider;
  /** Trace sink (default: `CSP_HTTP_LOG` file when configured). */
  trace?: TraceSink;
  /** Client-side Partner Center throttle (default: one shared token-bucket limiter per configuration). */
  rateLimiter?: RateLimiter | false;
  /** Further ServiceClient tuning (backoff, sleep, ids). */
  client?: Pick<ServiceClientOptions, "backoff" | "sleep" | "newId" | "maxRetryDelayMs" | "rateLimits">;
}

interface Shared {
  dispatcher?: Dispatcher;
  limiter?: RateLimiter;
  trace?: TraceSink | null;
}

/** Process-wide resources per resolved configuration: one agent, one limiter, one trace file. */
const sharedByConfig = new WeakMap<CspConfig, Shared>();

function shared(config: CspConfig): Shared {
  let s = sharedByConfig.get(config);
  if (!s) {
    s = {};
    sharedByConfig.set(config, s);
  }
  return s;
}

/** The dispatcher shared by every account of `config` (created on first use). */
export function sharedDispatcher(config: CspConfig): Dispatcher {
  const s = shared(config);
  s.dispatcher ??= createDispatcher({
    ...(config.caCertPem ? { caCertPem: config.caCertPem } : {}),
    ...(config.proxyUrl ? { proxyUrl: config.proxyUrl } : {}),
    ...(config.noProxy ? { noProxy: config.noProxy } : {}),
  });
  return s.dispatcher;
}

/**
 * API clients (Partner Center, Graph, ARM) for the partner account `accountName`, sharing one
 * token provider. Nothing touches the network (nor validates credentials) until the first
 * `send`; missing credentials then fail with a `CSP_CONFIG` error naming the variables to set.
 */
export function createCspApi(
  config: CspConfig,
  accountName = "default",
  options: CspApiOptions = {},
): CspApi {
  const s = shared(config);
  const account: AccountCredentials = config.accounts[accountName] ?? {
    name: accountName,
    tenantId: "",
    clientId: "",
  };
  let dispatcher = options.dispatcher;
  const getDispatcher = () => {
    dispatcher ??= sharedDispatcher(config);
    return dispatcher;
  };
  let trace = options.trace;
  if (trace === undefined && config.httpLogFile) {
    if (s.trace === undefined) s.trace = createFileTraceSink(config.httpLogFile);
    trace = s.trace ?? undefined;
  }
  let rateLimiter = options.rateLimiter;
  if (rateLimiter === undefined) {
    // Never more than a limit's requests in one window (a token bucket would allow a double burst).
    s.limiter ??= createSlidingWindowLimiter();
    rateLimiter = s.limiter;
  }

  let tokens = options.tokens;
  const lazyTokens: TokenProvider = {
    getToken(request, opts) {
      if (!config.accounts[accountName]) {
        const known = Object.keys(config.accounts);
        const prefix = accountName === "default" ? "CSP_" : `CSP_ACCOUNT_${accountName.toUpperCase()}_`;
        throw configError(
          `partner account "${accountName}" is not configured${known.length ? ` (configured: ${known.join(", ")})` : ""}`,
          `set ${prefix}TENANT_ID, ${prefix}CLIENT_ID and ${prefix}CLIENT_SECRET (or the csp:* stack config)`,
        );
      }
      tokens ??= createMsalTokenProvider({
        config,
        account,
        dispatcher: getDispatcher(),
        ...(trace ? { trace } : {}),
      });
      return tokens.getToken(request, opts);
    },
  };

  const clients = new Map<string, ServiceClient>();
  const client = (service: "partnerCenter" | "graph" | "arm"): ServiceClient => {
    let c = clients.get(service);
    if (!c) {
      c = createServiceClient({
        service,
        baseUrl: config.endpoints[service],
        dispatcher: getDispatcher(),
        tokens: lazyTokens,
        account: accountName,
        maxRetries: config.maxRetries,
        timeoutMs: config.timeoutMs,
        rateLimiter,
        ...(trace ? { trace } : {}),
        ...options.client,
      });
      clients.set(service, c);
    }
    return c;
  };
  const lazyClient = (service: "partnerCenter" | "graph" | "arm"): ServiceClient => ({
    service,
    baseUrl: config.endpoints[service].replace(/\/+$/, ""),
    send<T = unknown>(request: ApiRequest) {
      return client(service).send<T>(request);
    },
  });

  return {
    account: accountName,
    partnerTenantId: account.tenantId,
    clientId: account.clientId,
    partnerCenter: lazyClient("partnerCenter"),
    graph: lazyClient("graph"),
    arm: lazyClient("arm"),
    memo: createProcessMemo(),
  };
}
