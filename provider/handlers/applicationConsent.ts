import { randomUUID } from "node:crypto";
import { z } from "zod";
import { listAppRoleAssignments } from "../clients/graph/appRoleAssignments";
import { findAllPrincipalsGrant, grantScopes } from "../clients/graph/oauth2PermissionGrants";
import { findServicePrincipalByAppId } from "../clients/graph/servicePrincipals";
import {
  createApplicationConsent,
  deleteApplicationConsent,
  getApplicationConsent,
  type PcApplicationConsent,
} from "../clients/partnerCenter/consents";
import { isCspError, isLostResponse } from "../errors";
import type { ServiceClient } from "../http/types";
import { accountFailures } from "./commerce/fields";
import { changedKeys, stripUndefined, validateInputs } from "./common";
import { isConflict } from "./identity/errors";
import { withGdapHints } from "./identity/gdapAccessHint";
import { customerTenantApp } from "./identity/identities";
import { account, guid, text } from "./identity/schemas";
import { sameSet, uniqueSorted } from "./identity/sets";
import { unknownKeys } from "./identity/unknowns";
import { registerHandler } from "./registry";
import type { HandlerContext, ResourceHandler } from "./types";

/**
 * ApplicationConsent: Partner Center application consent of a (multi-tenant, partner-owned)
 * application in a customer tenant (reference §5.1; app+user). The consent materialises the
 * application's service principal and its grants in the customer tenant, which is what lets the
 * partner app act there app-only (ApplicationRegistration, PermissionGrant with `tenantId`).
 *
 * Microsoft does not amend consents and a second POST does not add scopes, so changes are made by
 * read-compare-replace: DELETE and POST again when the grants or the display name change. A
 * create answered "already exists" (409), or not answered at all, is verified: the existing
 * consent is read (Partner Center, or Graph in the customer tenant when Partner Center cannot be
 * read) and adopted when its grants match, replaced otherwise.
 */

export interface ConsentGrantInput {
  /** App id of the resource (e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`). */
  enterpriseApplicationId: string;
  /** Permission names on that resource (e.g. `Directory.Read.All`). */
  scopes: string[];
}

export interface ApplicationConsentInputs {
  account?: string;
  customerId: string;
  /** App id to consent; default: the partner app of the account. */
  applicationId?: string;
  displayName: string;
  grants: ConsentGrantInput[];
}

export interface ApplicationConsentOutputs extends ApplicationConsentInputs {
  applicationId: string;
}

type Props = ApplicationConsentInputs & ApplicationConsentOutputs;

const SCOPE = /^[A-Za-z0-9_.-]+$/;

const schema = z
  .object({
    account,
    customerId: guid,
    applicationId: guid.optional(),
    displayName: text(256),
    grants: z
      .array(
        z
          .object({
            enterpriseApplicationId: guid,
            scopes: z
              .array(
                z
                  .string()
                  .trim()
                  .regex(SCOPE, "must be a permission name such as Directory.Read.All (no spaces or commas)"),
              )
              .min(1, "must list at least one scope"),
          })
          .strict(),
      )
      .min(1, "must list at least one grant")
      .superRefine((grants, ctx) => {
        const seen = new Set<string>();
        grants.forEach((g, i) => {
          const key = g.enterpriseApplicationId.toLowerCase();
          if (seen.has(key)) {
            ctx.addIssue({
              code: "custom",
              path: [i, "enterpriseApplicationId"],
              message: "must appear once; merge the scopes of both grants",
            });
          }
          seen.add(key);
        });
      }),
  })
  .strict();

async function check(
  _olds: Partial<ApplicationConsentInputs>,
  news: ApplicationConsentInputs,
  ctx: HandlerContext,
) {
  const result = validateInputs(schema as unknown as z.ZodType<ApplicationConsentInputs>, news);
  const failures = [...(result.failures ?? []), ...accountFailures(news.account, ctx.config)];
  return failures.length > 0 ? { failures } : result;
}

function appIdOf(inputs: ApplicationConsentInputs, ctx: HandlerContext): string {
  return (inputs.applicationId ?? ctx.api(inputs.account).clientId).toLowerCase();
}

/** Grants in canonical form: resource ids lower case, scopes de-duplicated and sorted. */
export function normaliseGrants(grants: readonly ConsentGrantInput[]): ConsentGrantInput[] {
  return grants
    .map((g) => ({
      enterpriseApplicationId: g.enterpriseApplicationId.toLowerCase(),
      scopes: uniqueSorted(g.scopes),
    }))
    .sort((a, b) => a.enterpriseApplicationId.localeCompare(b.enterpriseApplicationId));
}

function grantsEqual(a: readonly ConsentGrantInput[], b: readonly ConsentGrantInput[]): boolean {
  const x = normaliseGrants(a);
  const y = normaliseGrants(b);
  return (
    x.length === y.length &&
    x.every(
      (g, i) =>
        g.enterpriseApplicationId === y[i]!.enterpriseApplicationId && sameSet(g.scopes, y[i]!.scopes),
    )
  );
}

function toWire(applicationId: string, inputs: ApplicationConsentInputs): PcApplicationConsent {
  return {
    applicationId,
    displayName: inputs.displayName,
    applicationGrants: normaliseGrants(inputs.grants).map((g) => ({
      enterpriseApplicationId: g.enterpriseApplicationId,
      scope: g.scopes.join(","),
    })),
  };
}

function fromWire(consent: PcApplicationConsent): ConsentGrantInput[] {
  return (consent.applicationGrants ?? []).map((g) => ({
    enterpriseApplicationId: g.enterpriseApplicationId,
    scopes: g.scope
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  }));
}

async function diff(_id: string, olds: Props, news: ApplicationConsentInputs, ctx: HandlerContext) {
  const unknown = unknownKeys(news, ["account", "customerId", "applicationId", "displayName", "grants"]);
  const replaces: string[] = [];
  if (unknown.includes("account") || (olds.account ?? "") !== (news.account ?? "")) replaces.push("account");
  if (unknown.includes("customerId") || olds.customerId.toLowerCase() !== news.customerId.toLowerCase()) {
    replaces.push("customerId");
  }
  if (
    unknown.includes("applicationId") ||
    (!unknown.includes("account") && (olds.applicationId ?? "").toLowerCase() !== appIdOf(news, ctx))
  ) {
    replaces.push("applicationId");
  }
  const changed = unknown.includes("displayName")
    ? ["displayName"]
    : changedKeys(olds, news, ["displayName"]);
  if (unknown.includes("grants") || !grantsEqual(olds.grants, news.grants)) changed.push("grants");
  return { changes: replaces.length > 0 || changed.length > 0, replaces };
}

async function create(inputs: ApplicationConsentInputs, ctx: HandlerContext) {
  const api = ctx.api(inputs.account);
  const applicationId = appIdOf(inputs, ctx);
  const wire = toWire(applicationId, inputs);
  try {
    await createApplicationConsent(api.partnerCenter, inputs.customerId, wire, randomUUID());
  } catch (e) {
    if (!isConflict(e) && !isLostResponse(e)) throw e;
    // "Already exists" or no answer: find out what exists before deciding.
    const existing = await observeConsent(
      api.partnerCenter,
      api.graph,
      inputs.customerId,
      applicationId,
      inputs.grants,
    );
    if (existing.kind === "found" && grantsEqual(existing.grants, inputs.grants)) {
      ctx.log(
        `application consent of ${applicationId} for customer ${inputs.customerId} already exists with these grants; adopting it`,
      );
    } else if (existing.kind === "absent" && isLostResponse(e)) {
      await createApplicationConsent(api.partnerCenter, inputs.customerId, wire, randomUUID());
    } else {
      ctx.log(
        `application consent of ${applicationId} for customer ${inputs.customerId} exists with other or unknown grants; replacing it (delete, then consent again)`,
      );
      await replaceConsent(api.partnerCenter, inputs.customerId, applicationId, wire);
    }
  }
  return {
    id: consentId(inputs.customerId, applicationId),
    outs: outputs(inputs, applicationId),
  };
}

function consentId(customerId: string, applicationId: string): string {
  return `${customerId.toLowerCase()}/${applicationId}`;
}

function outputs(inputs: ApplicationConsentInputs, applicationId: string): ApplicationConsentOutputs {
  return stripUndefined({
    ...inputs,
    customerId: inputs.customerId.toLowerCase(),
    applicationId,
    grants: normaliseGrants(inputs.grants),
  });
}

/** DELETE then POST: the documented way to change a consent (Microsoft's samples do the same). */
async function replaceConsent(
  pc: ServiceClient,
  customerId: string,
  applicationId: string,
  wire: PcApplicationConsent,
): Promise<void> {
  await deleteApplicationConsent(pc, customerId, applicationId);
  try {
    await createApplicationConsent(pc, customerId, wire, randomUUID());
  } catch (e) {
    // A lost answer to this POST: only a read can tell; an existing consent is the goal here.
    if (!isLostResponse(e)) throw e;
    const lookup = await getApplicationConsent(pc, customerId, applicationId);
    if (lookup.kind === "absent") await createApplicationConsent(pc, customerId, wire, randomUUID());
  }
}

type Observed =
  | { kind: "found"; grants: ConsentGrantInput[]; through: "partnerCenter" | "graph" }
  | { kind: "absent" }
  | { kind: "unknown" };

/**
 * What consent exists: Partner Center's own record when it can be read ([U] GET route), otherwise
 * the materialised state in the customer tenant read through Graph (the consented app's service
 * principal, its delegated grant and app roles on each declared resource). `unknown` when neither
 * can be read (e.g. the partner app has no read access in that tenant).
 */
async function observeConsent(
  pc: ServiceClient,
  graph: ServiceClient,
  customerId: string,
  applicationId: string,
  declared: readonly ConsentGrantInput[],
): Promise<Observed> {
  const lookup = await getApplicationConsent(pc, customerId, applicationId);
  if (lookup.kind === "found")
    return { kind: "found", grants: fromWire(lookup.consent), through: "partnerCenter" };
  if (lookup.kind === "absent") return { kind: "absent" };
  try {
    return await observeThroughGraph(graph, customerId, applicationId, declared);
  } catch (e) {
    if (isCspError(e) && (e.code === "CSP_AUTH_ERROR" || e.status === 401 || e.status === 403))
      return { kind: "unknown" };
    throw e;
  }
}

async function observeThroughGraph(
  graph: ServiceClient,
  customerId: string,
  applicationId: string,
  declared: readonly ConsentGrantInput[],
): Promise<Observed> {
  const auth = customerTenantApp(customerId);
  const client = await findServicePrincipalByAppId(graph, auth, applicationId);
  if (!client) return { kind: "absent" };
  const roles = await listAppRoleAssignments(graph, auth, client.id);
  const grants: ConsentGrantInput[] = [];
  for (const g of declared) {
    const resource = await findServicePrincipalByAppId(graph, auth, g.enterpriseApplicationId);
    if (!resource) continue;
    const delegated = grantScopes(await findAllPrincipalsGrant(graph, auth, client.id, resource.id));
    const roleValues = roles
      .filter((r) => r.resourceId.toLowerCase() === resource.id.toLowerCase())
      .map(
        (r) =>
          (resource.appRoles ?? []).find((ar) => ar.id.toLowerCase() === r.appRoleId.toLowerCase())?.value,
      )
      .filter((v): v is string => v !== undefined);
    const scopes = uniqueSorted([...delegated, ...roleValues]);
    if (scopes.length > 0) grants.push({ enterpriseApplicationId: g.enterpriseApplicationId, scopes });
  }
  return { kind: "found", grants, through: "graph" };
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const api = ctx.api(props.account);
  const observed = await observeConsent(
    api.partnerCenter,
    api.graph,
    props.customerId,
    props.applicationId,
    props.grants,
  );
  if (observed.kind === "absent") return {};
  if (observed.kind === "unknown") {
    ctx.log(
      `application consent ${id}: cannot be read (no Partner Center read, no Graph access in the tenant); keeping the recorded state`,
    );
    return { id, props };
  }
  const grants = normaliseGrants(observed.grants);
  // Which API confirmed the consent is a diagnostic, not state (it may differ between reads): it is
  // logged, not output, so a refresh without drift changes nothing. (`verifiedThrough` from older
  // state is dropped.)
  ctx.log(
    `application consent ${id}: verified through ${observed.through === "graph" ? "Graph" : "Partner Center"}`,
  );
  const { verifiedThrough: _older, ...current } = props as Props & { verifiedThrough?: string };
  const outs: ApplicationConsentOutputs = stripUndefined({ ...current, grants });
  const inputs: ApplicationConsentInputs = stripUndefined({
    account: props.account,
    customerId: props.customerId,
    applicationId: props.applicationId,
    displayName: props.displayName,
    grants,
  });
  return { id, props: outs, inputs };
}

async function update(_id: string, _olds: Props, news: ApplicationConsentInputs, ctx: HandlerContext) {
  const api = ctx.api(news.account);
  const applicationId = appIdOf(news, ctx);
  ctx.log(
    `application consent of ${applicationId} for customer ${news.customerId}: grants or name changed; replacing the consent (Microsoft does not amend consents)`,
  );
  await replaceConsent(api.partnerCenter, news.customerId, applicationId, toWire(applicationId, news));
  return { outs: outputs(news, applicationId) };
}

async function remove(_id: string, props: Props, ctx: HandlerContext) {
  await deleteApplicationConsent(ctx.api(props.account).partnerCenter, props.customerId, props.applicationId);
}

export const applicationConsentHandler: ResourceHandler<ApplicationConsentInputs, ApplicationConsentOutputs> =
  withGdapHints({
    check,
    diff,
    create,
    read,
    update,
    delete: remove,
  });

registerHandler("ApplicationConsent", applicationConsentHandler);
