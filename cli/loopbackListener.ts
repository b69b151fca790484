import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The local end of a browser sign-in: Entra redirects the browser here with the code or the consent result. */
export interface LoopbackListener {
  port: number;
  /** `http://localhost:PORT/`: Entra accepts any port for a registered `http://localhost` redirect URI. */
  redirectUri: string;
  /**
   * Resolves with the query parameters of the next redirect that carries `state` (requests with
   * another or no state get a 400 page and are ignored: they are not the answer to this sign-in).
   * Rejects when `signal` aborts.
   */
  next(state: string, signal: AbortSignal): Promise<URLSearchParams>;
  close(): Promise<void>;
}

interface Waiter {
  state: string;
  resolve: (params: URLSearchParams) => void;
}

/**
 * Starts an HTTP listener on the loopback interface (127.0.0.1, plus ::1 on the same port when
 * available, since browsers may resolve `localhost` to either), on a random free port. It answers
 * one redirect per `next()` call and nothing else.
 */
export async function startLoopbackListener(): Promise<LoopbackListener> {
  let waiter: Waiter | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    res.setHeader("Connection", "close");
    res.setHeader("Cache-Control", "no-store");
    if (req.method !== "GET" || url.pathname !== "/") {
      page(res, 404, "Not found", "pulumi-csp only listens for the sign-in redirect here.");
      return;
    }
    const params = url.searchParams;
    const current = waiter;
    if (!current || params.get("state") !== current.state) {
      page(
        res,
        400,
        "Unexpected request",
        "This is not the answer to the sign-in pulumi-csp is waiting for (missing or different state). It was ignored.",
      );
      return;
    }
    waiter = undefined;
    const error = params.get("error");
    if (error) {
      page(res, 200, "Sign-in failed", `${error}: ${firstLine(params.get("error_description") ?? "")}`);
    } else {
      page(res, 200, "Done", "pulumi-csp received the answer. You can close this window.");
    }
    current.resolve(params);
  };

  const primary = createServer(handler);
  await listen(primary, 0, "127.0.0.1");
  const port = (primary.address() as AddressInfo).port;
  const servers: Server[] = [primary];
  const secondary = createServer(handler);
  try {
    await listen(secondary, port, "::1");
    servers.push(secondary);
  } catch {
    // No IPv6 loopback here: 127.0.0.1 alone.
  }
  return {
    port,
    redirectUri: `http://localhost:${port}/`,
    next(state, signal) {
      return new Promise<URLSearchParams>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          if (waiter?.state === state) waiter = undefined;
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        waiter = {
          state,
          resolve: (params) => {
            signal.removeEventListener("abort", onAbort);
            resolve(params);
          },
        };
      });
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>pulumi-csp: ${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? "";
}
