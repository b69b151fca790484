import { Agent } from "undici";
import { afterAll, beforeAll } from "vitest";
import { type Handler, startHttpServer, type TestServer } from "./testServer";

/**
 * A test server for a whole test file: started before its tests, closed with `dispatcher` (the
 * undici agent clients use to reach it) after them. `reply` answers every request; `server` is
 * usable inside the tests (its `url` and `requests` are the started server's).
 */
export function serveForFile(reply: Handler): { server: TestServer; dispatcher: Agent } {
  let started: TestServer | undefined;
  const running = (): TestServer => {
    if (!started) throw new Error("the test server is not started yet (use it inside a test)");
    return started;
  };
  const dispatcher = new Agent();
  const server: TestServer = {
    get url() {
      return running().url;
    },
    get requests() {
      return running().requests;
    },
    close: () => running().close(),
  };
  beforeAll(async () => {
    started = await startHttpServer(reply);
  });
  afterAll(async () => {
    await started?.close();
    await dispatcher.close();
  });
  return { server, dispatcher };
}
