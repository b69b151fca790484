import { isObject } from "../common/json";
import type { AzureSubscriptionRecord, ResourceGroupRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import type { ArmCaller } from "./armCaller";
import { requireAction, requireWritable, subscriptionFor } from "./armCaller";
import { armErrors } from "./armErrors";
import { armBody, armOk, armRoute, propCI } from "./armRoute";

/**
 * Resource groups ("Resource Groups - Create Or Update / Get / Delete / List", api-version
 * 2021-04-01: https://learn.microsoft.com/rest/api/resources/resource-groups), modelled because a
 * subscription that holds them cannot be cancelled (see the cancel in `subscriptions.ts`). Nothing
 * inside a resource group is modelled. A disabled subscription refuses the PUT and allows GET and
 * DELETE ("Azure subscription states").
 */

const NAME = /^[-\w.()]{1,90}$/u;

function scopeOf(sub: AzureSubscriptionRecord, name?: string): string {
  return `/subscriptions/${sub.subscriptionId}/resourceGroups${name === undefined ? "" : `/${name}`}`;
}

function view(sub: AzureSubscriptionRecord, rg: ResourceGroupRecord): Record<string, unknown> {
  return {
    id: scopeOf(sub, rg.name),
    name: rg.name,
    type: "Microsoft.Resources/resourceGroups",
    location: rg.location,
    ...(rg.tags ? { tags: rg.tags } : {}),
    properties: { provisioningState: "Succeeded" },
  };
}

function resolve(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller, action: string) {
  const sub = subscriptionFor(emu, caller, req.params.sub);
  requireAction(emu, caller, sub, scopeOf(sub, req.params.rg), action);
  return sub;
}

/** Create (201) or update (200); `location` is required, a name is 1-90 of `-_.()`, letters, digits, not ending in `.`. */
function put(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = resolve(req, emu, caller, "Microsoft.Resources/subscriptions/resourceGroups/write");
  requireWritable(sub);
  const name = req.params.rg;
  if (!NAME.test(name) || name.endsWith(".")) {
    throw armErrors.invalidResourceGroup(name);
  }
  const body = armBody(req);
  const location = propCI(body, "location");
  if (typeof location !== "string" || location.trim() === "") {
    throw armErrors.locationRequired();
  }
  const tags = propCI(body, "tags");
  sub.resourceGroups ??= {};
  const groups = sub.resourceGroups;
  const existing = groups[name.toLowerCase()];
  const record: ResourceGroupRecord = {
    name: existing?.name ?? name,
    location: existing?.location ?? location,
    ...(isObject(tags) ? { tags: tags as Record<string, string> } : {}),
  };
  groups[name.toLowerCase()] = record;
  emu.markDirty();
  return armOk(req, existing ? 200 : 201, view(sub, record));
}

function get(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = resolve(req, emu, caller, "Microsoft.Resources/subscriptions/resourceGroups/read");
  const rg = sub.resourceGroups?.[req.params.rg.toLowerCase()];
  if (!rg) throw armErrors.resourceGroupNotFound(req.params.rg);
  return armOk(req, 200, view(sub, rg));
}

function list(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = resolve(req, emu, caller, "Microsoft.Resources/subscriptions/resourceGroups/read");
  return armOk(req, 200, { value: Object.values(sub.resourceGroups ?? {}).map((rg) => view(sub, rg)) });
}

/** [U] The service answers 202 and deletes in the background; the emulator deletes at once and answers 200. */
function remove(req: EmuRequest, emu: EmulatorCore, caller: ArmCaller) {
  const sub = resolve(req, emu, caller, "Microsoft.Resources/subscriptions/resourceGroups/delete");
  const key = req.params.rg.toLowerCase();
  if (!sub.resourceGroups?.[key]) throw armErrors.resourceGroupNotFound(req.params.rg);
  delete sub.resourceGroups[key];
  emu.markDirty();
  return armOk(req, 200);
}

const BASE = "/subscriptions/:sub/resourcegroups";

/** Routes of resource groups. */
export const resourceGroupRoutes: Route[] = [
  armRoute("GET", BASE, "armToken", list),
  armRoute("PUT", `${BASE}/:rg`, "armToken", put),
  armRoute("GET", `${BASE}/:rg`, "armToken", get),
  armRoute("DELETE", `${BASE}/:rg`, "armToken", remove),
];
