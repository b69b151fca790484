import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import type * as grpcTypes from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as statusProto from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "./propertyValues";

// The generated client checks credentials against ITS copy of @grpc/grpc-js (nested under
// @pulumi/pulumi), so take grpc from where the generated code resolves it.
const grpc = createRequire(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb"))(
  "@grpc/grpc-js",
) as typeof grpcTypes;

/**
 * Preloaded into the host: it exits when its stdin closes, which happens when the runner finishes
 * or is killed. Without it a runner killed with SIGKILL would leave the host running as an orphan,
 * possibly still completing a provider call whose result nobody records. The host is unchanged.
 */
const EXIT_WITH_PARENT =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));process.stdin.resume();';

/** What Check answered. */
export interface CheckResponse {
  inputs: PropertyMap;
  failures: { property: string; reason: string }[];
}

/** What Diff answered; `changes` is "unknown" when the provider returned none. */
export interface DiffResponse {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * An error returned by the provider host. `initFailure` is set when the provider threw an object
 * carrying `id` and `properties` from create/update: the object exists but failed to initialise,
 * and the engine records it in the state instead of losing it.
 */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly initFailure?: { id: string; properties: PropertyMap; reasons: string[] },
  ) {
    super(message);
    this.name = "ProviderCallError";
  }
}

export interface StartHostOptions {
  /** Working directory of the host: the program directory, where `__provider` module resolution starts. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Receives each line the host writes to stderr (provider diagnostics). */
  onStderr?: (line: string) => void;
}

/**
 * One spawned `@pulumi/pulumi/cmd/dynamic-provider` process and a gRPC client to it, used exactly
 * as the engine uses it: the host is started with a (dummy) engine address, prints its port on
 * stdout, gets Configure once, then Check/Diff/Create/Read/Update/Delete. It routes only on the
 * `__provider` property of each request.
 */
export class DynamicProviderHost {
  /** Counts of calls by method, for summaries and tests (`create`, `update`, `delete` are writes). */
  readonly calls: Record<string, number> = {};

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Starts the host of the `@pulumi/pulumi` installed for the program (resolved from `cwd`, as the
   * language host does), falling back to the runner's own copy.
   */
  static async start(options: StartHostOptions): Promise<DynamicProviderHost> {
    let hostPath: string;
    try {
      hostPath = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [options.cwd] });
    } catch {
      hostPath = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    }
    const child = spawn(process.execPath, ["--import", EXIT_WITH_PARENT, hostPath, "127.0.0.1:1"], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stderrLines: string[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => {
      stderrLines.push(line);
      if (stderrLines.length > 50) stderrLines.shift();
      options.onStderr?.(line);
    });
    const port = await new Promise<number>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.once("line", (line) => {
        const p = Number(line.trim());
        if (Number.isInteger(p) && p > 0) resolve(p);
        else reject(new Error(`dynamic-provider host printed "${line}" instead of its port`));
      });
      child.once("exit", (code, signal) =>
        reject(
          new Error(
            `dynamic-provider host exited before listening (code ${code}, signal ${signal}): ${stderrLines.join("\n")}`,
          ),
        ),
      );
      child.once("error", reject);
    });
    const client = new providerGrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure() as unknown as ConstructorParameters<
        typeof providerGrpc.ResourceProviderClient
      >[1],
    );
    return new DynamicProviderHost(child, client);
  }

  /** Configure with the stack configuration (full `namespace:key` names, as the engine sends them). */
  async configure(config: Record<string, string>): Promise<void> {
    const req = new providerProto.ConfigureRequest();
    req.setArgs(Struct.fromJavaScript(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) vars.set(k, v);
    await this.unary("configure", req);
  }

  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResponse> {
    const req = new providerProto.CheckRequest();
    req.setUrn(urn);
    setNameType(req, urn);
    req.setOlds(Struct.fromJavaScript(olds));
    req.setNews(Struct.fromJavaScript(news));
    const resp = await this.unary<providerProto.CheckResponse>("check", req);
    return {
      inputs: (resp.getInputs()?.toJavaScript() ?? {}) as PropertyMap,
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    urn: string,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<DiffResponse> {
    const req = new providerProto.DiffRequest();
    req.setUrn(urn);
    setNameType(req, urn);
    req.setId(id);
    req.setOlds(Struct.fromJavaScript(oldOutputs));
    req.setNews(Struct.fromJavaScript(news));
    req.setOldInputs(Struct.fromJavaScript(oldInputs));
    const resp = await this.unary<providerProto.DiffResponse>("diff", req);
    const C = providerProto.DiffResponse.DiffChanges;
    const changes = resp.getChanges();
    return {
      changes: changes === C.DIFF_SOME ? "some" : changes === C.DIFF_NONE ? "none" : "unknown",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(urn: string, properties: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    const req = new providerProto.CreateRequest();
    req.setUrn(urn);
    setNameType(req, urn);
    req.setProperties(Struct.fromJavaScript(properties));
    req.setPreview(false);
    const resp = await this.unary<providerProto.CreateResponse>("create", req);
    return { id: resp.getId(), properties: (resp.getProperties()?.toJavaScript() ?? {}) as PropertyMap };
  }

  async read(
    urn: string,
    id: string,
    properties: PropertyMap,
    inputs: PropertyMap,
  ): Promise<{ id: string; properties: PropertyMap; inputs?: PropertyMap }> {
    const req = new providerProto.ReadRequest();
    req.setUrn(urn);
    setNameType(req, urn);
    req.setId(id);
    req.setProperties(Struct.fromJavaScript(properties));
    req.setInputs(Struct.fromJavaScript(inputs));
    const resp = await this.unary<providerProto.ReadResponse>("read", req);
    const readInputs = resp.getInputs()?.toJavaScript() as PropertyMap | undefined;
    return {
      id: resp.getId(),
      properties: (resp.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
      ...(readInputs ? { inputs: readInputs } : {}),
    };
  }

  async update(
    urn: string,
    id: string,
    oldOutputs: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<{ properties: PropertyMap }> {
    const req = new providerProto.UpdateRequest();
    req.setUrn(urn);
    setNameType(req, urn);
    req.setId(id);
    req.setOlds(Struct.fromJavaScript(oldOutputs));
    req.setNews(Struct.fromJavaScript(news));
    req.setOldInputs(Struct.fromJavaScript(oldInputs));
    req.setPreview(false);
    const resp = await this.unary<providerProto.UpdateResponse>("update", req);
    return { properties: (resp.getProperties()?.toJavaScript() ?? {}) as PropertyMap };
  }

  async delete(urn: string, id: string, properties: PropertyMap, oldInputs: PropertyMap): Promise<void> {
    const req = new providerProto.DeleteRequest();
    req.setUrn(urn);
    setNameType(req, urn);
    req.setId(id);
    req.setProperties(Struct.fromJavaScript(properties));
    req.setOldInputs(Struct.fromJavaScript(oldInputs));
    await this.unary("delete", req);
  }

  /** Stops the host (closing its stdin lets it exit; SIGTERM if it lingers). */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill("SIGTERM"), 2000);
    await exited;
    clearTimeout(timer);
  }

  private unary<R>(method: string, req: unknown): Promise<R> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const fn = (this.client as unknown as Record<string, UnaryMethod>)[method];
    return new Promise<R>((resolve, reject) => {
      fn.call(this.client, req, (err: grpcTypes.ServiceError | null, resp: unknown) => {
        if (err) reject(toProviderError(method, err));
        else resolve(resp as R);
      });
    });
  }
}

type UnaryMethod = (req: unknown, cb: (err: grpcTypes.ServiceError | null, resp: unknown) => void) => void;

/** Name and type are informational for the Node host, but the engine sends them; so do we. */
function setNameType(req: { setName(v: string): unknown; setType(v: string): unknown }, urn: string): void {
  const parts = urn.split("::");
  req.setName(parts[3] ?? "");
  req.setType((parts[2] ?? "").split("$").pop() ?? "");
}

function toProviderError(method: string, err: grpcTypes.ServiceError): ProviderCallError {
  const message = err.details || err.message;
  const detailsBin = err.metadata?.get("grpc-status-details-bin")?.[0];
  if (detailsBin && typeof detailsBin !== "string") {
    try {
      const status = statusProto.Status.deserializeBinary(new Uint8Array(detailsBin));
      for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
        const detail = providerProto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return new ProviderCallError(message, method, {
          id: detail.getId(),
          properties: (detail.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
          reasons: detail.getReasonsList(),
        });
      }
    } catch {
      // Not a status we understand: report the plain message.
    }
  }
  return new ProviderCallError(message, method);
}
