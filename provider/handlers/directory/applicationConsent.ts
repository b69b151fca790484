import { randomUUID } from "node:crypto";
import { z } from "zod";
import { customerTenantApp } from "../../auth/actingIdentity";
import type { CspApi } from "../../clients/cspApi";
import {
  createApplicationConsent,
  deleteApplicationConsent,
  type PcApplicationConsent,
} from "../../clients/partnerCenter/consents";
import { isCspError, isLostResponse } from "../../errors";
import type { ServiceClient } from "../../http/types";
import { accountSchemaCheck, changedKeys, stripUndefined, withDefaults } from "../common";
import { withGdapHints } from "../gdap/gdapAccessHint";
import { isConflict } from "../identity/errors";
import { account, guid, text } from "../identity/schemas";
import { sameSet, uniqueSorted } from "../identity/sets";
import { type HandlerContext, isUnknown, type ResourceHandler } from "../types";
import { type ConsentState, readConsentState } from "./consentState";
import { forgetServicePrincipal } from "./servicePrincipalMemo";
import { unknownKeys } from "./unknowns";

/**
 * ApplicationConsent: Partner Center application consent of a (multi-tenant, partner-owned)
 * application in a customer tenant (app+user; "Get customer consent as Control Panel Vendor",
 * https://learn.microsoft.com/en-us/partner-center/developer/control-panel-vendor-apis). The consent
 * materialises the application's service principal and its grants in the customer tenant, which is
 * what lets the partner app act there app-only (ApplicationRegistration, PermissionGrant with
 * `tenantId`).
 *
 * Partner Center documents only POST and DELETE for consents: there is no read. The consent's state
 * is read through Microsoft Graph in the customer tenant (`consentState.ts`): no service
 * principal of the application means gone; a service principal with some grants missing reads as a
 * change of `grants`; an error is an error, never "gone".
 *
 * Microsoft does not amend consents and a second POST does not add scopes, so changes are made by
 * DELETE and POST again when the grants or the display name change. A create answered "already
 * exists" (409), or not answered at all, is verified through Graph and the existing consent adopted
 * when its grants match, replaced otherwise (also when Graph cannot be read there).
 */

/**
 * One resource of the consent: `enterpriseApplicationId` is the app id of the resource (e.g.
 * Microsoft Graph `00000003-0000-0000-c000-000000000000`), `scopes` permission names on it (e.g.
 * `Directory.Read.All`).
 */
export interface ConsentGrantInput {
  enterpriseApplicationId: string;
  scopes: string[];
}

/**
 * The checked inputs (what {@link applicationConsentSchema} yields); `applicationId` is the app id to consent,
 * by default the partner app of the account.
 */
export type ApplicationConsentInputs = z.output<typeof applicationConsentSchema>;

export interface ApplicationConsentOutputs extends ApplicationConsentInputs {
  applicationId: string;
}

type Props = ApplicationConsentInputs & ApplicationConsentOutputs;

const SCOPE = /^[A-Za-z0-9_.-]+$/;

export const applicationConsentSchema = z
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

/**
 * The schema's check, with `applicationId` filled in when omitted (the partner account's own
 * application, the one create consents to), as a refresh stores it.
 */
const check = accountSchemaCheck(applicationConsentSchema, (inputs, ctx) =>
  isUnknown(inputs.account) ? inputs : withDefaults(inputs, { applicationId: appIdOf(inputs, ctx) }),
);

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
  // A customer holds one consent per application: a replacement that created first would
  // consent the same (customer, app) again and then delete it with the old one. So the old consent
  // always goes first, for a replacement planned here and for one the user forces (`--replace`).
  return { changes: replaces.length > 0 || changed.length > 0, replaces, deleteBeforeReplace: true };
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
    const existing = await observeExisting(api, inputs.customerId, applicationId, inputs.grants);
    if (existing.kind === "present" && grantsEqual(existing.grants, inputs.grants)) {
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
  const requestId = randomUUID();
  try {
    await createApplicationConsent(pc, customerId, wire, requestId);
  } catch (e) {
    if (!isLostResponse(e)) throw e;
    // The answer to this POST was lost and Partner Center has no read of a consent: post again
    // with the same MS-RequestId, which the service documents as the key of idempotent requests
    // (https://learn.microsoft.com/en-us/partner-center/developer/control-panel-vendor-apis).
    // "Already exists" then means the first POST went through (the DELETE removed the older one).
    try {
      await createApplicationConsent(pc, customerId, wire, requestId);
    } catch (again) {
      if (!isConflict(again)) throw again;
    }
  }
}

/**
 * What exists before a create decides to adopt or replace: the consent read through Graph, or
 * `unknown` when the partner app cannot read there (refused token or 401/403, e.g. it is not
 * consented in that tenant yet). Other errors are thrown.
 */
async function observeExisting(
  api: CspApi,
  customerId: string,
  applicationId: string,
  declared: readonly ConsentGrantInput[],
): Promise<ConsentState | { kind: "unknown" }> {
  try {
    return await readConsentState(api, customerId, applicationId, declared);
  } catch (e) {
    if (isRefusedRead(e)) return { kind: "unknown" };
    throw e;
  }
}

/** The identity may not read there: its token was refused, or Graph answered 401/403. */
function isRefusedRead(e: unknown): boolean {
  return isCspError(e) && (e.code === "CSP_AUTH_ERROR" || e.status === 401 || e.status === 403);
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const api = ctx.api(props.account);
  let state: ConsentState;
  try {
    state = await readConsentState(api, props.customerId, props.applicationId, props.grants);
  } catch (e) {
    ctx.log(
      `application consent ${id}: its state in customer tenant ${props.customerId} could not be read through Microsoft Graph; an error says nothing about the consent, so it is not taken as gone`,
    );
    if (props.applicationId === api.clientId.toLowerCase() && isRefusedRead(e)) {
      ctx.log(
        `application consent ${id} is the partner app's own consent, which is also what lets it read there: if it was removed outside Pulumi, remove this resource from the state (pulumi state delete) and run pulumi up to consent again`,
      );
    }
    throw e;
  }
  // Where the state came from is a diagnostic, not state: logged, so a refresh changes nothing.
  ctx.log(
    `application consent ${id}: read through Microsoft Graph in the customer tenant (${state.kind === "absent" ? "no service principal of the application: gone" : "service principal and grants found"})`,
  );
  if (state.kind === "absent") return {};
  const grants = normaliseGrants(state.grants);
  // `verifiedThrough` from older state (which API confirmed the consent) is dropped.
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
  forgetServicePrincipal(api, customerTenantApp(news.customerId), applicationId);
  return { outs: outputs(news, applicationId) };
}

async function remove(_id: string, props: Props, ctx: HandlerContext) {
  const api = ctx.api(props.account);
  await deleteApplicationConsent(api.partnerCenter, props.customerId, props.applicationId);
  // The consent's principal may go with it: what the process remembered of it is dropped.
  forgetServicePrincipal(api, customerTenantApp(props.customerId), props.applicationId);
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
