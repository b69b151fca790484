import { z } from "zod";
import { graphDirectoryAuth } from "../../auth/actingIdentity";
import {
  deleteApplication,
  type GraphApplicationWrite,
  type GraphRequiredResourceAccess,
  getApplication,
  updateApplication,
} from "../../clients/graph/applications";
import { deleteServicePrincipal } from "../../clients/graph/servicePrincipals";
import type { AuthTarget } from "../../http/types";
import {
  accountSchemaCheck,
  canonicalJson,
  changedKeys,
  jsonEqual,
  partialCreate,
  stripUndefined,
  withDefaults,
} from "../common";
import { account, guid, text } from "../identity/schemas";
import type { HandlerContext, ResourceHandler } from "../types";
import {
  applicationMarker,
  createPrincipalOfNewApp,
  ensureServicePrincipal,
  findOrCreateApplication,
  withMarker,
} from "./applicationCreate";
import {
  addPasswordSafely,
  DEFAULT_CREDENTIAL_NAME,
  reconcileCredential,
  removeOrphanCredentials,
  withCredential,
  withoutCredential,
} from "./applicationCredentials";
import { forgetServicePrincipal, servicePrincipal } from "./servicePrincipalMemo";
import { unknownKeys } from "./unknowns";

/**
 * ApplicationRegistration: a Microsoft Graph application and its service principal, in a customer
 * tenant (`tenantId`, app-only with the customer as authority, which needs the partner app
 * consented there) or in the partner tenant (no `tenantId`; the admin agent acts, see
 * provider/auth/actingIdentity.ts).
 *
 * Safe to retry: create is one upsert of the application under Graph's alternate key `uniqueName`
 * ("Upsert application", https://learn.microsoft.com/graph/api/application-upsert), derived from
 * the partner, the tenant and the display name the application is created with. Graph keeps one
 * application per key, so a retry after a crash or a lost answer updates the application the first
 * attempt made (and reads it by the same key) instead of making a second; no lookup comes before
 * the write. The application also carries the marker tag `pulumi-csp:<uuid>` of its current name
 * (it follows renames; the key, immutable, does not). The service principal is created without
 * looking first (a new application has none) and a conflict is settled by a lookup. Two resources
 * declaring the same display name in the same tenant share one application, and so does a
 * resource declaring the name another application was created with before a rename: keep names
 * unique per tenant, past ones included.
 *
 * `passwordCredential` adds a client secret, returned once as the secret output `clientSecret`;
 * it is rotated (new secret added, old removed) only when `rotationKey` changes.
 */

/**
 * The checked inputs (what {@link applicationRegistrationSchema} yields). `passwordCredential.displayName` is shown in
 * the portal next to the secret (default `pulumi-csp`); any change of its `rotationKey` rotates
 * the secret.
 */
export type ApplicationRegistrationInputs = z.output<typeof applicationRegistrationSchema>;

/** The declared client secret of an application. */
export type PasswordCredentialInput = NonNullable<ApplicationRegistrationInputs["passwordCredential"]>;

export interface ApplicationRegistrationOutputs extends ApplicationRegistrationInputs {
  /** Tenant holding the application (the partner tenant when `tenantId` was not given). */
  tenantId: string;
  signInAudience: SignInAudience;
  /** Object id of the application (also the resource id). */
  objectId: string;
  /** Application (client) id. */
  appId: string;
  servicePrincipalId: string;
  /** The marker tag of the application's current name (its `uniqueName` keeps the first name's id). */
  marker: string;
  /** Client secret (secret output), present with `passwordCredential`. */
  clientSecret?: string;
  clientSecretKeyId?: string;
  clientSecretHint?: string;
  clientSecretEndDateTime?: string;
}

type Props = ApplicationRegistrationInputs & ApplicationRegistrationOutputs;

const SIGN_IN_AUDIENCES = [
  "AzureADMyOrg",
  "AzureADMultipleOrgs",
  "AzureADandPersonalMicrosoftAccount",
  "PersonalMicrosoftAccount",
] as const;

type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

/** The audience Graph reports, when it is one this resource declares (else the stored one). */
function knownAudience(value: string | undefined, fallback: SignInAudience): SignInAudience {
  return SIGN_IN_AUDIENCES.find((a) => a === value) ?? fallback;
}

const redirectUri = z
  .string()
  .max(256, "must be at most 256 characters")
  .refine(
    isRedirectUri,
    "must be an https:// URL (http:// only for localhost), without a fragment or wildcard",
  );

const identifierUri = z
  .string()
  .max(256, "must be at most 256 characters")
  .refine(
    isIdentifierUri,
    "must be a URI such as api://<appId or name>, https://<verified domain>/... or urn:...",
  );

export const applicationRegistrationSchema = z
  .object({
    account,
    tenantId: guid.optional(),
    displayName: text(256),
    signInAudience: z
      .enum(SIGN_IN_AUDIENCES, { message: `must be one of ${SIGN_IN_AUDIENCES.join(", ")}` })
      .optional(),
    requiredResourceAccess: z
      .array(
        z
          .object({
            resourceAppId: guid,
            resourceAccess: z
              .array(
                z
                  .object({
                    id: guid,
                    type: z.enum(["Scope", "Role"], { message: 'must be "Scope" or "Role"' }),
                  })
                  .strict(),
              )
              .min(1, "must list at least one permission"),
          })
          .strict(),
      )
      .optional(),
    redirectUris: z.array(redirectUri).max(256, "must list at most 256 URIs").optional(),
    identifierUris: z.array(identifierUri).optional(),
    passwordCredential: z
      .object({ displayName: text(256).optional(), rotationKey: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();

function isRedirectUri(s: string): boolean {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  if (url.hash || s.includes("*")) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

function isIdentifierUri(s: string): boolean {
  try {
    const url = new URL(s);
    return ["api:", "https:", "http:", "urn:", "ms-appx:"].includes(url.protocol) && !url.hash;
  } catch {
    return false;
  }
}

/** The schema's check; an omitted `signInAudience` is Graph's default, as a refresh stores it. */
const check = accountSchemaCheck(applicationRegistrationSchema, (inputs) =>
  withDefaults(inputs, { signInAudience: "AzureADMyOrg" }),
);

function resolvedTenant(inputs: ApplicationRegistrationInputs, ctx: HandlerContext): string {
  return (inputs.tenantId ?? ctx.api(inputs.account).partnerTenantId).toLowerCase();
}

function authFor(inputs: ApplicationRegistrationInputs, ctx: HandlerContext): AuthTarget {
  return graphDirectoryAuth(ctx.api(inputs.account).partnerTenantId, resolvedTenant(inputs, ctx));
}

const UPDATABLE: (keyof ApplicationRegistrationInputs & string)[] = [
  "displayName",
  "signInAudience",
  "requiredResourceAccess",
  "redirectUris",
  "identifierUris",
  "passwordCredential",
];

async function diff(_id: string, olds: Props, news: ApplicationRegistrationInputs, ctx: HandlerContext) {
  const unknown = unknownKeys(news, ["account", "tenantId", ...UPDATABLE]);
  const replaces: string[] = [];
  if (unknown.includes("account") || (olds.account ?? "") !== (news.account ?? "")) replaces.push("account");
  if (
    unknown.includes("tenantId") ||
    (!unknown.includes("account") && (olds.tenantId ?? "").toLowerCase() !== resolvedTenant(news, ctx))
  ) {
    replaces.push("tenantId");
  }
  const known = UPDATABLE.filter((k) => !unknown.includes(k));
  const knownNews = { displayName: "", ...Object.fromEntries(known.map((k) => [k, news[k]])) };
  const changed = changedKeys(comparable(olds), comparable(knownNews), known);
  return { changes: replaces.length > 0 || changed.length > 0 || unknown.length > 0, replaces };
}

/** Inputs in a canonical form: defaults filled in, sets sorted. */
function comparable(i: ApplicationRegistrationInputs): ApplicationRegistrationInputs {
  return stripUndefined({
    ...i,
    signInAudience: i.signInAudience ?? "AzureADMyOrg",
    requiredResourceAccess: normaliseAccess(i.requiredResourceAccess ?? []),
    redirectUris: [...(i.redirectUris ?? [])].sort(),
    identifierUris: [...(i.identifierUris ?? [])].sort(),
    passwordCredential: i.passwordCredential
      ? {
          displayName: i.passwordCredential.displayName ?? DEFAULT_CREDENTIAL_NAME,
          rotationKey: i.passwordCredential.rotationKey ?? "",
        }
      : undefined,
  });
}

function normaliseAccess(list: readonly GraphRequiredResourceAccess[]): GraphRequiredResourceAccess[] {
  return list
    .map((r) => ({
      resourceAppId: r.resourceAppId.toLowerCase(),
      resourceAccess: r.resourceAccess
        .map((a) => ({ id: a.id.toLowerCase(), type: a.type }))
        .sort((x, y) => canonicalJson(x).localeCompare(canonicalJson(y))),
    }))
    .sort((x, y) => x.resourceAppId.localeCompare(y.resourceAppId));
}

/** The Graph body for the declared properties. */
function applicationBody(
  inputs: ApplicationRegistrationInputs,
): GraphApplicationWrite & { displayName: string } {
  return stripUndefined({
    displayName: inputs.displayName,
    signInAudience: inputs.signInAudience ?? "AzureADMyOrg",
    requiredResourceAccess: inputs.requiredResourceAccess ?? [],
    web: { redirectUris: inputs.redirectUris ?? [] },
    identifierUris: inputs.identifierUris ?? [],
  });
}

async function create(inputs: ApplicationRegistrationInputs, ctx: HandlerContext) {
  const api = ctx.api(inputs.account);
  const graph = api.graph;
  const auth = authFor(inputs, ctx);
  const tenantId = resolvedTenant(inputs, ctx);
  const marker = applicationMarker(api.partnerTenantId, tenantId, inputs.displayName);

  const { app, adopted } = await findOrCreateApplication(graph, auth, applicationBody(inputs), marker, ctx);
  let outs: ApplicationRegistrationOutputs = stripUndefined({
    ...inputs,
    tenantId,
    signInAudience: inputs.signInAudience ?? "AzureADMyOrg",
    objectId: app.id,
    appId: app.appId,
    servicePrincipalId: "",
    marker,
  });
  try {
    const sp = adopted
      ? await ensureServicePrincipal(api, auth, app.appId)
      : await createPrincipalOfNewApp(api, auth, app.appId);
    outs = { ...outs, servicePrincipalId: sp.id };
    if (inputs.passwordCredential) {
      const name = inputs.passwordCredential.displayName ?? DEFAULT_CREDENTIAL_NAME;
      if (adopted) await removeOrphanCredentials(graph, auth, app, name, ctx);
      const cred = await addPasswordSafely(graph, auth, app.id, name);
      outs = withCredential(outs, cred);
    }
    return { id: app.id, outs };
  } catch (e) {
    throw partialCreate(e, app.id, outs);
  }
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  const auth = authFor(props, ctx);
  // The application and its principal in parallel; the principal from what the process already
  // read (the grants of this application look it up too).
  const [app, sp] = await Promise.all([
    getApplication(graph, auth, id),
    servicePrincipal(ctx.api(props.account), auth, props.appId),
  ]);
  if (!app) return {};
  const observed = {
    displayName: app.displayName,
    signInAudience: knownAudience(app.signInAudience, props.signInAudience),
    requiredResourceAccess: observedList(props.requiredResourceAccess, app.requiredResourceAccess ?? []),
    redirectUris: observedList(props.redirectUris, app.web?.redirectUris ?? []),
    identifierUris: observedList(props.identifierUris, app.identifierUris ?? []),
  };
  const credentialPresent =
    props.clientSecretKeyId !== undefined &&
    (app.passwordCredentials ?? []).some((c) => c.keyId === props.clientSecretKeyId);
  let outs: ApplicationRegistrationOutputs = stripUndefined({
    ...props,
    ...observed,
    appId: app.appId,
    objectId: app.id,
    servicePrincipalId: sp?.id ?? "",
  });
  const inputs: ApplicationRegistrationInputs = stripUndefined({
    account: props.account,
    tenantId: props.tenantId,
    ...observed,
    passwordCredential: credentialPresent ? props.passwordCredential : undefined,
  });
  if (!credentialPresent) {
    // The secret was removed outside Pulumi: forget it, so the next update adds a new one.
    outs = withoutCredential(outs);
    delete outs.passwordCredential;
  }
  return { id, props: outs, inputs };
}

/** The observed list, omitted when it is empty and was never declared (keeps refresh free of noise). */
function observedList<T>(declared: readonly T[] | undefined, actual: readonly T[]): T[] | undefined {
  if (declared === undefined && actual.length === 0) return undefined;
  return [...actual];
}

async function update(id: string, olds: Props, news: ApplicationRegistrationInputs, ctx: HandlerContext) {
  const api = ctx.api(news.account);
  const graph = api.graph;
  const auth = authFor(news, ctx);
  const tenantId = resolvedTenant(news, ctx);
  const a = comparable(olds);
  const b = comparable(news);
  const patch: GraphApplicationWrite = {};
  if (a.displayName !== b.displayName) {
    patch.displayName = news.displayName;
    const app = await getApplication(graph, auth, id);
    patch.tags = withMarker(app?.tags, applicationMarker(api.partnerTenantId, tenantId, news.displayName));
  }
  if (a.signInAudience !== b.signInAudience) patch.signInAudience = b.signInAudience!;
  if (!jsonEqual(a.requiredResourceAccess, b.requiredResourceAccess))
    patch.requiredResourceAccess = news.requiredResourceAccess ?? [];
  if (!jsonEqual(a.redirectUris, b.redirectUris)) patch.web = { redirectUris: news.redirectUris ?? [] };
  if (!jsonEqual(a.identifierUris, b.identifierUris)) patch.identifierUris = news.identifierUris ?? [];
  if (Object.keys(patch).length > 0) await updateApplication(graph, auth, id, patch);

  const sp = await ensureServicePrincipal(api, auth, olds.appId);
  let outs: ApplicationRegistrationOutputs = stripUndefined({
    ...news,
    tenantId,
    signInAudience: news.signInAudience ?? "AzureADMyOrg",
    objectId: id,
    appId: olds.appId,
    servicePrincipalId: sp.id,
    marker: patch.tags ? applicationMarker(api.partnerTenantId, tenantId, news.displayName) : olds.marker,
  });
  outs = await reconcileCredential(graph, auth, id, olds, news, outs);
  return { outs };
}

async function remove(id: string, props: Props, ctx: HandlerContext) {
  const graph = ctx.api(props.account).graph;
  const auth = authFor(props, ctx);
  if (props.servicePrincipalId) {
    await deleteServicePrincipal(graph, auth, props.servicePrincipalId);
    forgetServicePrincipal(ctx.api(props.account), auth, props.appId);
  }
  const deleted = await deleteApplication(graph, auth, id);
  if (deleted) {
    ctx.log(
      `application "${props.displayName}" (${props.appId}) deleted; Entra ID keeps it in deleted items for 30 days`,
    );
  }
}

export const applicationRegistrationHandler: ResourceHandler<
  ApplicationRegistrationInputs,
  ApplicationRegistrationOutputs
> = {
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
};
