import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Deployment, Registration } from "./deployment";
import type { PropertyMap } from "./propertyValues";

type Callback<T> = (err: Error | null, resp?: T) => void;

/**
 * Features the runner tells the SDK it supports. Resource references and output values are off,
 * so the SDK sends resources as their ids/URNs and plain values, which is also what the engine
 * hands a dynamic provider (the Node host accepts neither).
 */
const FEATURES: Record<string, boolean> = {
  secrets: true,
  resourceReferences: false,
  outputValues: false,
  deletedWith: true,
  aliasSpecs: true,
};

/**
 * The resource monitor the Pulumi SDK talks to (installed with `settings.setMockOptions`, the same
 * hook `pulumi.runtime.setMocks` uses), but instead of mocking it receives the full
 * RegisterResourceRequest (options included) and hands each registration to the Deployment.
 */
export class LocalResourceMonitor {
  constructor(private readonly deployment: Deployment) {}

  registerResource(req: resourceProto.RegisterResourceRequest, callback: Callback<unknown>): void {
    const reg: Registration = {
      type: req.getType(),
      name: req.getName(),
      ...(req.getParent() ? { parent: req.getParent() } : {}),
      custom: req.getCustom(),
      inputs: (req.getObject()?.toJavaScript() ?? {}) as PropertyMap,
      dependencies: req.getDependenciesList(),
      ...(req.hasProtect() ? { protect: req.getProtect() } : {}),
      ...(req.hasRetainondelete() ? { retainOnDelete: req.getRetainondelete() } : {}),
      ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      ...(req.getImportid() ? { importId: req.getImportid() } : {}),
      ...(req.getDeletedwith() ? { deletedWith: req.getDeletedwith() } : {}),
    };
    this.deployment.register(reg).then(
      (result) => {
        const resp = new resourceProto.RegisterResourceResponse();
        resp.setUrn(result.urn);
        resp.setId(result.id);
        resp.setObject(Struct.fromJavaScript(result.outputs));
        resp.setResult(resourceProto.Result.SUCCESS);
        callback(null, resp);
      },
      (err: Error) => callback(err),
    );
  }

  registerResourceOutputs(
    req: resourceProto.RegisterResourceOutputsRequest,
    callback: Callback<unknown>,
  ): void {
    this.deployment.registerOutputs(req.getUrn(), (req.getOutputs()?.toJavaScript() ?? {}) as PropertyMap);
    callback(null, {});
  }

  readResource(req: resourceProto.ReadResourceRequest, callback: Callback<unknown>): void {
    this.deployment
      .read({
        type: req.getType(),
        name: req.getName(),
        ...(req.getParent() ? { parent: req.getParent() } : {}),
        custom: true,
        id: req.getId(),
        inputs: (req.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
        dependencies: req.getDependenciesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        ignoreChanges: [],
        replaceOnChanges: [],
      })
      .then(
        (result) => {
          const resp = new resourceProto.ReadResourceResponse();
          resp.setUrn(result.urn);
          resp.setProperties(Struct.fromJavaScript(result.outputs));
          callback(null, resp);
        },
        (err: Error) => callback(err),
      );
  }

  invoke(req: { getTok(): string }, callback: Callback<unknown>): void {
    callback(
      new Error(
        `the local runner does not run provider functions (invoke ${req.getTok()}); only dynamic resources are applied`,
      ),
    );
  }

  call(_req: unknown, callback: Callback<unknown>): void {
    callback(new Error("the local runner does not support method calls on component resources"));
  }

  supportsFeature(req: { getId(): string }, callback: Callback<{ getHassupport(): boolean }>): void {
    const supported = FEATURES[req.getId()] === true;
    callback(null, { getHassupport: () => supported });
  }

  registerPackage(_req: unknown, callback: Callback<unknown>): void {
    const resp = new resourceProto.RegisterPackageResponse();
    resp.setRef("local-runner-package");
    callback(null, resp);
  }

  signalAndWaitForShutdown(_req: unknown, callback: Callback<unknown>): void {
    callback(null, {});
  }

  close(): void {}
}
