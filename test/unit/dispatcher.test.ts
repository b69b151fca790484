import { createServer } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../../provider/http/dispatcher";
import { startHttpServer, type TestServer } from "./helpers/testServer";

let target: TestServer;
const proxy = createServer();
const tunnels: string[] = [];
const sockets = new Set<Socket>();
let proxyUrl: string;

beforeAll(async () => {
  target = await startHttpServer(() => ({ status: 200, body: { direct: true } }));
  // A proxy that records the CONNECT target and then forwards the tunnel to the test server.
  proxy.on("connect", (req, clientSocket: Socket) => {
    tunnels.push(req.url ?? "");
    const { port } = new URL(target.url);
    const upstream = connect(Number(port), "127.0.0.1", () => {
      clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    sockets.add(upstream).add(clientSocket);
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => proxy.close(() => r()));
  await target.close();
});

describe("createDispatcher", () => {
  it("sends traffic through HTTPS_PROXY, except for NO_PROXY hosts", async () => {
    const viaProxy = createDispatcher({ proxyUrl, noProxy: "localhost" });
    const res = await request(`${target.url.replace("127.0.0.1", "api.partnercenter.test")}/x`, {
      dispatcher: viaProxy,
    });
    expect(await res.body.json()).toEqual({ direct: true });
    expect(tunnels).toEqual([`api.partnercenter.test:${new URL(target.url).port}`]);
    await viaProxy.close();

    const bypass = createDispatcher({ proxyUrl, noProxy: "127.0.0.1" });
    const direct = await request(`${target.url}/y`, { dispatcher: bypass });
    await direct.body.text();
    expect(tunnels).toHaveLength(1);
    expect(target.requests.map((r) => r.path)).toEqual(["/x", "/y"]);
    await bypass.close();
  });
});
