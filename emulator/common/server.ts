import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { FaultAction } from "./adminTypes";
import type { EmulatorRuntime } from "./emulatorRuntime";
import { SERVICE_PREFIXES } from "./emulatorRuntime";
import { decodePathSegments, RouteTable } from "./routeTable";
import type { TlsMaterial } from "./tls";
import type { AccessTokenClaims, EmulatedService, EmuRequest, EmuResponse, ServiceModule } from "./types";

/** Real host names routed by `Host` with no path prefix. */
const HOST_ROUTES: Record<string, EmulatedService> = {
  "login.microsoftonline.com": "identity",
  "api.partnercenter.microsoft.com": "partnerCenter",
  "graph.microsoft.com": "graph",
  "management.azure.com": "arm",
};

const PREFIX_ROUTES: [string, EmulatedService][] = [
  [SERVICE_PREFIXES.partnerCenter, "partnerCenter"],
  [SERVICE_PREFIXES.graph, "graph"],
  [SERVICE_PREFIXES.arm, "arm"],
];

const STATUS_CODES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  408: "RequestTimeout",
  409: "Conflict",
  429: "TooManyRequests",
  500: "InternalServerError",
  501: "NotImplemented",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

interface Mounted {
  module: ServiceModule;
  table: RouteTable;
}

/** Options of {@link startServer}. */
export interface ServerOptions {
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
}

/** A listening emulator server. */
export interface ListeningServer {
  server: Server;
  /** `https://127.0.0.1:PORT` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function stripPort(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const i = host.indexOf(":");
  return i < 0 ? host : host.slice(0, i);
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

type ParsedBody = { ok: true; body: unknown } | { ok: false; message: string };

function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { ok: true, body: undefined };
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("application/x-www-form-urlencoded")) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(raw.toString("utf8"))) };
  }
  const text = raw.toString("utf8");
  const looksJson = ct.includes("json") || /^\s*[[{]/.test(text);
  if (!looksJson) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (e) {
    return ct.includes("json")
      ? { ok: false, message: `The request body is not valid JSON: ${(e as Error).message}` }
      : { ok: true, body: undefined };
  }
}

function isClaims(value: Record<string, unknown>): value is AccessTokenClaims & Record<string, unknown> {
  return typeof value.tid === "string" && typeof value.aud === "string" && typeof value.appid === "string";
}

/**
 * The emulator's HTTPS front door: routes by `Host` (real host names) or path prefix, verifies
 * bearer tokens, applies injected faults and latency, dispatches to the service module, persists
 * the state after a write (before answering), echoes each service's request-id headers and logs
 * the exchange. Admin requests (`/_emulator`) skip faults, latency and the log.
 */
export class EmulatorServer {
  private readonly mounted = new Map<EmulatedService, Mounted>();

  constructor(
    private readonly runtime: EmulatorRuntime,
    modules: ServiceModule[],
  ) {
    for (const module of modules) this.mounted.set(module.service, { module, table: new RouteTable(module) });
  }

  /** Starts listening; resolves once the port is bound. */
  async listen(tls: TlsMaterial, options: ServerOptions = {}): Promise<ListeningServer> {
    const server = createServer({ cert: tls.certChainPem, key: tls.keyPem }, (req, res) => {
      this.onRequest(req, res);
    });
    server.keepAliveTimeout = 30_000;
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const origin = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
    this.runtime.origin = origin;
    return {
      server,
      origin,
      port,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      this.handle(req, res, raw).catch((e: unknown) => {
        process.stderr.write(`emulator: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ error: { code: "InternalServerError", message: "emulator error" } }));
        } else {
          res.destroy();
        }
      });
    });
    req.on("error", () => res.destroy());
  }

  private async handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const started = performance.now();
    const time = new Date().toISOString();
    const method = (req.method ?? "GET").toUpperCase();
    const hostHeader = req.headers.host ?? this.runtime.origin.replace(/^https:\/\//, "");
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);

    // Routing: admin API on any host, real host names by Host, otherwise by path prefix.
    let service: EmulatedService;
    let prefix = "";
    const hostService = HOST_ROUTES[stripPort(hostHeader).toLowerCase()];
    if (rawPath === SERVICE_PREFIXES.admin || rawPath.startsWith(`${SERVICE_PREFIXES.admin}/`)) {
      service = "admin";
      prefix = SERVICE_PREFIXES.admin;
    } else if (hostService) {
      service = hostService;
    } else {
      service = "identity";
      for (const [p, s] of PREFIX_ROUTES) {
        if (rawPath === p || rawPath.startsWith(`${p}/`)) {
          service = s;
          prefix = p;
          break;
        }
      }
    }
    // ARM answers a path with doubled slashes as the single-slash one; @azure/arm-authorization
    // sends `//subscriptions/...` for a scope given with its leading slash ("/subscriptions/...",
    // the form ARM returns in every `scope` and `id`). [U] not documented, observed behaviour.
    const unprefixed = rawPath.slice(prefix.length) || "/";
    const servicePath = service === "arm" ? unprefixed.replace(/\/{2,}/g, "/") : unprefixed;
    const headers = headerRecord(req);
    const query = new URLSearchParams(rawQuery);
    const { requestId, responseHeaders } = requestIds(service, headers, query);

    const mounted = this.mounted.get(service);
    const emuReq: EmuRequest = {
      service,
      method,
      path: servicePath,
      params: {},
      query,
      headers,
      body: undefined,
      rawBody,
      requestId,
      baseUrl: `https://${hostHeader}${prefix}`,
    };

    const isAdmin = service === "admin";
    let fault: FaultAction | undefined;
    if (!isAdmin) {
      fault = this.runtime.faults.take(service, method, servicePath);
      const latency =
        (this.runtime.state.settings.latencyMs ?? 0) + (fault?.type === "latency" ? fault.ms : 0);
      if (latency > 0) await sleep(latency);
    }
    // A read is never logged as a write, though it may settle what time changed (an order
    // fulfilled, a GDAP relationship expired) and so persist the state.
    const isRead = method === "GET" || method === "HEAD";
    const log = (status: number, changed: boolean) => {
      if (service === "admin") return;
      this.runtime.log.add({
        time,
        service,
        method,
        path: servicePath,
        query: rawQuery,
        status,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        requestId,
        write: changed && !isRead,
        ...(fault ? { fault: fault.type } : {}),
      });
    };

    if (fault?.type === "reset") {
      log(0, false);
      req.socket.destroy();
      return;
    }

    let response: EmuResponse;
    let dirty = false;
    if (!mounted) {
      response = {
        status: 501,
        body: { error: { code: "NotImplemented", message: `${service} is not implemented by the emulator` } },
      };
    } else if (fault?.type === "status") {
      response = this.faultResponse(mounted.module, fault, emuReq);
    } else {
      response = await this.dispatch(mounted, emuReq, rawBody, () => {
        dirty = true;
      });
    }

    if (dirty) {
      try {
        await this.runtime.persistSoon();
      } catch (e) {
        process.stderr.write(`emulator: could not persist state: ${(e as Error).message}\n`);
        response = mounted!.module.errorResponse(
          500,
          "InternalServerError",
          "emulator could not persist its state",
          emuReq,
        );
      }
    }

    if (fault?.type === "commitThenDrop") {
      log(0, dirty);
      req.socket.destroy();
      return;
    }

    const outHeaders: Record<string, string> = { ...responseHeaders, ...(response.headers ?? {}) };
    // The service's clock, as HTTP dates it (RFC 9110 Date): the emulator's, which the admin API
    // can move forward, so a client that reads the service's time sees the emulated one.
    if (!Object.keys(outHeaders).some((k) => k.toLowerCase() === "date")) {
      outHeaders.Date = this.runtime.now().toUTCString();
    }
    let payload: string | Buffer | undefined;
    if (response.rawBody !== undefined) {
      payload = response.rawBody;
    } else if (response.body !== undefined) {
      payload = JSON.stringify(response.body);
      if (!Object.keys(outHeaders).some((k) => k.toLowerCase() === "content-type")) {
        outHeaders["Content-Type"] = "application/json; charset=utf-8";
      }
    }
    if (payload !== undefined) outHeaders["Content-Length"] = String(Buffer.byteLength(payload));
    else if (response.status !== 204 && response.status !== 304) outHeaders["Content-Length"] = "0";
    res.writeHead(response.status, outHeaders);
    res.end(method === "HEAD" ? undefined : payload);
    log(response.status, dirty);
  }

  private async dispatch(
    mounted: Mounted,
    emuReq: EmuRequest,
    rawBody: Buffer,
    onDirty: () => void,
  ): Promise<EmuResponse> {
    const { module, table } = mounted;
    const segments = decodePathSegments(emuReq.path);
    if (!segments) {
      return module.errorResponse(400, "BadRequest", `The request path is not valid: ${emuReq.path}`, emuReq);
    }
    const found = table.match(emuReq.method, segments);
    if (found.kind !== "match") {
      return module.errorResponse(
        501,
        "NotImplemented",
        `${emuReq.method} ${emuReq.path} is not implemented by the emulator`,
        emuReq,
      );
    }
    emuReq.params = found.params;
    const parsed = parseBody(rawBody, emuReq.headers["content-type"]);
    if (!parsed.ok) return module.errorResponse(400, "BadRequest", parsed.message, emuReq);
    emuReq.body = parsed.body;
    this.verifyBearer(emuReq);
    try {
      return await found.route.handler(emuReq, this.runtime.core(onDirty));
    } catch (e) {
      process.stderr.write(
        `emulator: ${emuReq.service} ${emuReq.method} ${emuReq.path} failed: ${(e as Error)?.stack ?? String(e)}\n`,
      );
      return module.errorResponse(
        500,
        "InternalServerError",
        `emulator error: ${(e as Error)?.message}`,
        emuReq,
      );
    }
  }

  private verifyBearer(emuReq: EmuRequest): void {
    const header = emuReq.headers.authorization;
    if (!header) return;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      emuReq.authError = "authorization header is not a bearer token";
      return;
    }
    const result = this.runtime.signer.verify(m[1], Math.floor(this.runtime.now().getTime() / 1000));
    if (!result.ok) emuReq.authError = result.reason;
    else if (!isClaims(result.claims)) emuReq.authError = "token lacks tid, aud or appid";
    else emuReq.auth = result.claims;
  }

  private faultResponse(
    module: ServiceModule,
    fault: Extract<FaultAction, { type: "status" }>,
    emuReq: EmuRequest,
  ): EmuResponse {
    let response: EmuResponse;
    if (fault.body !== undefined) {
      response = { status: fault.status, body: fault.body };
    } else if (module.service === "partnerCenter" && fault.status === 429) {
      // Partner Center throttling has its own body, not the usual error shape ("API throttling
      // guidance", https://learn.microsoft.com/partner-center/developer/api-throttling-guidance).
      const seconds = fault.retryAfter ?? "1";
      response = {
        status: 429,
        body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
      };
    } else {
      const code = STATUS_CODES[fault.status] ?? `Status${fault.status}`;
      response = module.errorResponse(fault.status, code, `Injected fault: status ${fault.status}`, emuReq);
    }
    if (fault.retryAfter !== undefined) {
      response = { ...response, headers: { ...(response.headers ?? {}), "Retry-After": fault.retryAfter } };
    }
    return response;
  }
}

/** The request id of an exchange and the headers that echo it, per service convention. */
function requestIds(
  service: EmulatedService,
  headers: Record<string, string>,
  query: URLSearchParams,
): { requestId: string; responseHeaders: Record<string, string> } {
  switch (service) {
    case "partnerCenter": {
      // Partner Center echoes the caller's MS-RequestId (its idempotency key) and MS-CorrelationId.
      const requestId = headers["ms-requestid"] || randomUUID();
      return {
        requestId,
        responseHeaders: {
          "MS-RequestId": requestId,
          "MS-CorrelationId": headers["ms-correlationid"] || randomUUID(),
          "MS-CV": `${randomUUID().replace(/-/g, "").slice(0, 16)}.0`,
        },
      };
    }
    case "graph": {
      const requestId = randomUUID();
      return {
        requestId,
        responseHeaders: {
          "request-id": requestId,
          "client-request-id": headers["client-request-id"] || requestId,
        },
      };
    }
    case "arm": {
      const requestId = randomUUID();
      return {
        requestId,
        responseHeaders: {
          "x-ms-request-id": requestId,
          "x-ms-correlation-request-id": headers["x-ms-correlation-request-id"] || randomUUID(),
          ...(headers["x-ms-client-request-id"]
            ? { "x-ms-client-request-id": headers["x-ms-client-request-id"] }
            : {}),
        },
      };
    }
    case "identity": {
      // Entra answers with x-ms-request-id and echoes client-request-id (msal sends it as a query parameter).
      const requestId = randomUUID();
      const clientRequestId = headers["client-request-id"] || query.get("client-request-id");
      return {
        requestId,
        responseHeaders: {
          "x-ms-request-id": requestId,
          ...(clientRequestId ? { "client-request-id": clientRequestId } : {}),
          "Cache-Control": "no-store, no-cache",
        },
      };
    }
    default:
      return { requestId: randomUUID(), responseHeaders: {} };
  }
}
