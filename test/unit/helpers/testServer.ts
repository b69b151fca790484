import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TestCa } from "./testCa";

/** A request as the test server saw it (lower-case header names). */
export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

/** What the handler answers: a reply, or `"drop"` to destroy the socket without one (lost response). */
export type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | "drop" | "hang";

export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: SeenRequest, index: number) => Reply | Promise<Reply>;

function listen(server: Server, handler: Handler, scheme: "http" | "https"): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const open = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    open.add(s);
    s.on("close", () => open.delete(s));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        headers[k] = Array.isArray(v) ? v.join(", ") : (v ?? "");
      const seen: SeenRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      const reply = await handler(seen, requests.length - 1);
      if (reply === "drop") {
        req.socket.destroy();
        return;
      }
      if (reply === "hang") return;
      const text =
        reply.body === undefined
          ? ""
          : typeof reply.body === "string"
            ? reply.body
            : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(text && typeof reply.body !== "string" ? { "content-type": "application/json" } : {}),
        ...(reply.headers ?? {}),
      });
      res.end(text);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((r) => {
            for (const s of open) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Plain HTTP server on 127.0.0.1, port 0. */
export function startHttpServer(handler: Handler): Promise<TestServer> {
  return listen(createHttpServer(), handler, "http");
}

/** HTTPS server on 127.0.0.1, port 0, with a certificate from `ca`. */
export function startHttpsServer(ca: TestCa, handler: Handler): Promise<TestServer> {
  return listen(
    createHttpsServer({ cert: `${ca.certPem}\n${ca.caCertPem}\n`, key: ca.keyPem }),
    handler,
    "https",
  );
}
