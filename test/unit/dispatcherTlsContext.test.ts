import { createServer, type Server } from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../../provider/http/dispatcher";
import { createTestCa, type TestCa } from "./helpers/testCa";

// The CommonJS tls module object, whose createSecureContext tls.connect calls for each connection
// that brings no ready-made context.
const tls = createRequire(__filename)("node:tls") as typeof import("node:tls");

let ca: TestCa;
let server: Server;
let url: string;

beforeAll(async () => {
  ca = await createTestCa();
  // Every answer closes its connection, so each request opens a new TLS connection.
  server = createServer({ cert: ca.certPem, key: ca.keyPem }, (_req, res) => {
    res.writeHead(200, { connection: "close", "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe("createDispatcher with an extra CA", () => {
  it("builds the TLS trust store (Node's roots plus the CA) once, not again for every new connection", async () => {
    const original = tls.createSecureContext;
    let built = 0;
    tls.createSecureContext = (options) => {
      built++;
      return original(options);
    };
    try {
      const dispatcher = createDispatcher({ caCertPem: ca.caCertPem });
      for (let i = 0; i < 3; i++) {
        const res = await request(`${url}/x${i}`, { dispatcher });
        expect(await res.body.json()).toEqual({ ok: true });
      }
      await dispatcher.close();
      // Parsing ~150 root certificates costs tens of milliseconds of CPU: once per dispatcher.
      expect(built).toBeLessThanOrEqual(1);
    } finally {
      tls.createSecureContext = original;
    }
  });
});
