import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { requireArmCaller } from "./armCaller";
import { armErrors } from "./armErrors";
import { armRoute } from "./armRoute";
import { roleAssignmentHandlers } from "./roleAssignments";
import { roleDefinitionHandlers } from "./roleDefinitions";

/**
 * Role assignments and role definitions at a resource scope below a resource group
 * (`/subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{type}/{name}…]/providers/Microsoft.Authorization/…`).
 * The emulator does not model Azure resources, so any well-formed resource path is accepted as a
 * scope (the live service answers 404 for a resource that does not exist). Anything else under
 * `…/resourceGroups/{rg}/providers/` answers 501 like every unmodelled route.
 */

const PATTERN =
  /^(.+?)\/providers\/Microsoft\.Authorization\/(roleAssignments|roleDefinitions)(?:\/([^/]+))?$/i;

function dispatch(req: EmuRequest, emu: EmulatorCore): EmuResponse {
  const m = PATTERN.exec(req.params.rest ?? "");
  const resourceSegments = m ? m[1].split("/") : [];
  // namespace/type/name, then type/name pairs for child resources.
  const wellFormed =
    resourceSegments.length >= 3 &&
    resourceSegments.length % 2 === 1 &&
    resourceSegments.every((s) => s !== "");
  if (!m || !wellFormed) {
    throw armErrors.notModelled(`${req.method} ${req.path} is not implemented by the emulator`);
  }
  const caller = requireArmCaller(req);
  req.params.resource = m[1];
  const kind = m[2].toLowerCase();
  const name = m[3];
  if (name !== undefined) req.params[kind === "roleassignments" ? "name" : "roleId"] = name;
  if (kind === "roledefinitions") {
    if (req.method !== "GET") throw armErrors.notModelled("Custom role definitions are not modelled.");
    return name === undefined
      ? roleDefinitionHandlers.list(req, emu, caller)
      : roleDefinitionHandlers.get(req, emu, caller);
  }
  if (name === undefined) {
    if (req.method !== "GET")
      throw armErrors.notModelled(`${req.method} ${req.path} is not implemented by the emulator`);
    return roleAssignmentHandlers.list(req, emu, caller);
  }
  if (req.method === "PUT") return roleAssignmentHandlers.put(req, emu, caller);
  if (req.method === "DELETE") return roleAssignmentHandlers.remove(req, emu, caller);
  return roleAssignmentHandlers.get(req, emu, caller);
}

const PREFIX = "/subscriptions/:sub/resourceGroups/:rg/providers/*rest";

/** Catch-all routes for resource scopes (listed after every specific ARM route). */
export const resourceScopeRoutes: Route[] = (["GET", "PUT", "DELETE"] as const).map((method) =>
  armRoute(method, PREFIX, "none", dispatch),
);
