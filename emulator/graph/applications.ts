import { randomBytes } from "node:crypto";
import { hashSecret } from "../common/hashSecret";
import { isObject } from "../common/json";
import type { DirectoryApplication, DirectoryTenant, PasswordCredentialRecord } from "../common/state";
import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "../common/types";
import { addressedByIdOrAppId, entityAnswer, filteredPage, idOrAppIdRoutes } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphOk, graphRoute, jsonBody, optString, reqString } from "./graphRoute";
import { contextUrl, selectOne } from "./odata";
import { removeServicePrincipal } from "./servicePrincipalCleanup";

/**
 * Microsoft Graph `applications` ("Create application",
 * https://learn.microsoft.com/graph/api/application-post-applications; "application: addPassword",
 * https://learn.microsoft.com/graph/api/application-addpassword): create (201, generated `appId`),
 * get, list with `$filter` (appId, displayName, tags) and paging, PATCH (204), DELETE (204),
 * addPassword (200, `secretText` returned once; only its SHA-256 is kept) and removePassword (204);
 * and the upsert by the client-chosen alternate key `uniqueName` ("Upsert application",
 * https://learn.microsoft.com/graph/api/application-upsert): `PATCH /applications(uniqueName='…')`
 * with `Prefer: create-if-missing` creates (201, the new application) or updates (204) the one
 * application holding that key; without the header a missing key is 404. `GET` by the same
 * address reads it ("Get application", https://learn.microsoft.com/graph/api/application-get).
 * [U] Whether the key is compared case-insensitively is not stated; chosen: case-insensitive, as
 * the `appId` address is. `uniqueName` is read-only in a body (the application resource lists it
 * as immutable and read-only): it is set only through the upsert address.
 */

const SIGN_IN_AUDIENCES = new Set([
  "AzureADMyOrg",
  "AzureADMultipleOrgs",
  "AzureADandPersonalMicrosoftAccount",
  "PersonalMicrosoftAccount",
]);

/** Default values of the application properties Graph returns (v1.0 default property set). */
function defaults(): Record<string, unknown> {
  return {
    deletedDateTime: null,
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    description: null,
    groupMembershipClaims: null,
    identifierUris: [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null,
    notes: null,
    serviceManagementReference: null,
    tags: [],
    tokenEncryptionKeyId: null,
    defaultRedirectUri: null,
    certification: null,
    optionalClaims: null,
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: null,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    appRoles: [],
    info: {
      logoUrl: null,
      marketingUrl: null,
      privacyStatementUrl: null,
      supportUrl: null,
      termsOfServiceUrl: null,
    },
    keyCredentials: [],
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: "Allow" },
    publicClient: { redirectUris: [] },
    requiredResourceAccess: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: [],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      redirectUriSettings: [],
    },
    spa: { redirectUris: [] },
  };
}

/** Properties a client may set on create and PATCH (besides displayName and signInAudience). */
const WRITABLE = new Set([
  "description",
  "groupMembershipClaims",
  "identifierUris",
  "isDeviceOnlyAuthSupported",
  "isFallbackPublicClient",
  "notes",
  "serviceManagementReference",
  "tags",
  "tokenEncryptionKeyId",
  "defaultRedirectUri",
  "optionalClaims",
  "addIns",
  "api",
  "appRoles",
  "info",
  "parentalControlSettings",
  "publicClient",
  "requiredResourceAccess",
  "web",
  "spa",
]);
const READ_ONLY = new Set([
  "id",
  "appId",
  "createdDateTime",
  "publisherDomain",
  "deletedDateTime",
  "verifiedPublisher",
  "uniqueName",
]);

/** Merges a client value into the default of an object-valued property (sub-properties not sent keep defaults). */
function mergeWithDefault(key: string, value: unknown): unknown {
  const d = defaults()[key];
  if (isObject(d) && isObject(value)) return { ...d, ...value };
  return value;
}

function validateRequiredResourceAccess(value: unknown): void {
  if (!Array.isArray(value))
    throw graphErrors.badRequest("Invalid value specified for property 'requiredResourceAccess'.");
  for (const r of value) {
    if (!isObject(r) || typeof r.resourceAppId !== "string" || !Array.isArray(r.resourceAccess)) {
      throw graphErrors.badRequest("Invalid value specified for property 'requiredResourceAccess'.");
    }
    for (const a of r.resourceAccess) {
      if (!isObject(a) || typeof a.id !== "string" || (a.type !== "Scope" && a.type !== "Role")) {
        throw graphErrors.badRequest(
          "Invalid value specified for property 'resourceAccess' of resource 'RequiredResourceAccess'.",
        );
      }
    }
  }
}

function validateStringArray(key: string, value: unknown): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw graphErrors.badRequest(`Invalid value specified for property '${key}'.`);
  }
}

/** Applies the writable properties of a create or PATCH body to an application record. */
function applyBody(app: DirectoryApplication, body: Record<string, unknown>, creating: boolean): void {
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.")) continue;
    if (key === "displayName") {
      const name = optString(body, key);
      if (name === undefined || name === "")
        throw graphErrors.badRequest("Invalid value specified for property 'displayName'.");
      app.displayName = name;
    } else if (key === "signInAudience") {
      if (typeof value !== "string" || !SIGN_IN_AUDIENCES.has(value)) {
        throw graphErrors.badRequest(
          `Invalid value specified for property 'signInAudience' of resource 'Application'.`,
        );
      }
      app.signInAudience = value;
    } else if (key === "passwordCredentials") {
      // Passwords cannot be set through create/PATCH; addPassword is the only way. [U] Earlier text
      // of "Create application"
      // (https://learn.microsoft.com/graph/api/application-post-applications) said so; the current
      // page no longer states it. Chosen: refuse, as before.
      if (!Array.isArray(value) || value.length > 0 || !creating) {
        throw graphErrors.badRequest(
          "Password credentials cannot be set on an application directly; use addPassword.",
        );
      }
    } else if (READ_ONLY.has(key)) {
      throw graphErrors.badRequest(`Property '${key}' is read-only and cannot be set.`);
    } else if (WRITABLE.has(key)) {
      if (key === "requiredResourceAccess") validateRequiredResourceAccess(value);
      if (key === "tags" || key === "identifierUris") validateStringArray(key, value);
      app.properties[key] = mergeWithDefault(key, value);
    } else {
      throw graphErrors.badRequest(`Invalid property '${key}'.`);
    }
  }
}

/** Graph JSON of a stored password credential (never the secret). */
function passwordView(p: PasswordCredentialRecord): Record<string, unknown> {
  return {
    customKeyIdentifier: null,
    displayName: p.displayName ?? null,
    endDateTime: p.endDateTime,
    hint: p.hint,
    keyId: p.keyId,
    secretText: null,
    startDateTime: p.startDateTime,
  };
}

/** Graph JSON of an application. */
export function applicationView(tenant: DirectoryTenant, app: DirectoryApplication): Record<string, unknown> {
  return {
    id: app.id,
    ...defaults(),
    ...app.properties,
    appId: app.appId,
    createdDateTime: app.createdDateTime,
    displayName: app.displayName,
    publisherDomain: tenant.domains[0] ?? null,
    signInAudience: app.signInAudience,
    uniqueName: app.uniqueName ?? null,
    passwordCredentials: app.passwordCredentials.map(passwordView),
  };
}

/** Finds an application by object id or, for `applications(appId='…')`, by app id. */
function findApplication(req: EmuRequest, tenant: DirectoryTenant): DirectoryApplication {
  return addressedByIdOrAppId(req, tenant.applications);
}

/** A new application from a create body (`uniqueName` when created through the upsert address). */
function newApplication(
  req: EmuRequest,
  emu: EmulatorCore,
  caller: GraphCaller,
  uniqueName?: string,
): EmuResponse {
  const body = jsonBody(req);
  const displayName = reqString(body, "displayName", "application");
  const now = emu.now().toISOString();
  const app: DirectoryApplication = {
    id: emu.newId(),
    appId: emu.newId(),
    ...(uniqueName === undefined ? {} : { uniqueName }),
    displayName,
    // Graph's default for applications created through the API (the response example of "Create
    // application", https://learn.microsoft.com/graph/api/application-post-applications).
    signInAudience: "AzureADandPersonalMicrosoftAccount",
    createdDateTime: now,
    properties: {},
    passwordCredentials: [],
  };
  applyBody(app, body, true);
  if (
    app.signInAudience === "AzureADandPersonalMicrosoftAccount" ||
    app.signInAudience === "PersonalMicrosoftAccount"
  ) {
    const api = isObject(app.properties.api)
      ? app.properties.api
      : (defaults().api as Record<string, unknown>);
    if (api.requestedAccessTokenVersion === null || api.requestedAccessTokenVersion === undefined) {
      app.properties.api = { ...api, requestedAccessTokenVersion: 2 };
    }
  }
  caller.tenant.applications[app.id] = app;
  emu.markDirty();
  const view = applicationView(caller.tenant, app);
  return entityAnswer(req, contextUrl(req, "applications/$entity"), view, 201, {
    location: `${req.baseUrl}/v1.0/directoryObjects/${app.id}/Microsoft.DirectoryServices.Application`,
  });
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  return newApplication(req, emu, caller);
}

/** The application holding the alternate key `uniqueName`, if any. */
function byUniqueName(tenant: DirectoryTenant, uniqueName: string): DirectoryApplication | undefined {
  const key = uniqueName.toLowerCase();
  return Object.values(tenant.applications).find((a) => a.uniqueName?.toLowerCase() === key);
}

function getByUniqueName(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const uniqueName = req.params.uniqueName!;
  const app = byUniqueName(caller.tenant, uniqueName);
  if (!app) throw graphErrors.resourceNotFound(uniqueName);
  return entityAnswer(
    req,
    contextUrl(req, "applications/$entity"),
    selectOne(req, applicationView(caller.tenant, app)),
  );
}

/** The upsert: update the holder of the key (204), or create it when the client asked to (201). */
function upsert(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const uniqueName = req.params.uniqueName!;
  const app = byUniqueName(caller.tenant, uniqueName);
  if (app) return patchApplication(req, emu, caller, app);
  const prefer = (req.headers.prefer ?? "").split(",").map((p) => p.trim().toLowerCase());
  if (!prefer.includes("create-if-missing")) throw graphErrors.resourceNotFound(uniqueName);
  return newApplication(req, emu, caller, uniqueName);
}

function get(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const app = findApplication(req, caller.tenant);
  return entityAnswer(
    req,
    contextUrl(req, "applications/$entity"),
    selectOne(req, applicationView(caller.tenant, app)),
  );
}

function list(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const filterable = ["appId", "displayName", "tags", "identifierUris", "signInAudience", "id"];
  return filteredPage(req, contextUrl(req, "applications"), filterable, () =>
    Object.values(caller.tenant.applications).map((a) => applicationView(caller.tenant, a)),
  );
}

function update(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  return patchApplication(req, emu, caller, findApplication(req, caller.tenant));
}

function patchApplication(
  req: EmuRequest,
  emu: EmulatorCore,
  caller: GraphCaller,
  app: DirectoryApplication,
) {
  const body = jsonBody(req);
  // Validate on a copy so that a rejected PATCH changes nothing.
  const draft: DirectoryApplication = structuredClone(app);
  applyBody(draft, body, false);
  caller.tenant.applications[app.id] = draft;
  emu.markDirty();
  return graphOk(req, 204);
}

function remove(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const app = findApplication(req, caller.tenant);
  delete caller.tenant.applications[app.id];
  // Deleting an application also deletes its service principal in the home tenant.
  for (const sp of Object.values(caller.tenant.servicePrincipals)) {
    if (sp.appId === app.appId) removeServicePrincipal(caller.tenant, sp.id);
  }
  emu.markDirty();
  return graphOk(req, 204);
}

const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~";

/** A client secret in the shape Entra issues: 40 characters with the `8Q~` marker after the hint. */
function newSecret(): string {
  const bytes = randomBytes(37);
  const chars = [...bytes].map((b) => SECRET_ALPHABET[b % SECRET_ALPHABET.length]);
  return `${chars.slice(0, 3).join("")}8Q~${chars.slice(3).join("")}`;
}

function parseDate(value: unknown, key: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const d = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime()))
    throw graphErrors.badRequest(`Invalid value specified for property '${key}'.`);
  return d;
}

function addPassword(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const app = findApplication(req, caller.tenant);
  const body = req.body === undefined ? {} : jsonBody(req);
  const cred = body.passwordCredential === undefined ? {} : body.passwordCredential;
  if (!isObject(cred))
    throw graphErrors.badRequest("Invalid value specified for property 'passwordCredential'.");
  const start = parseDate(cred.startDateTime, "startDateTime") ?? emu.now();
  // Default lifetime two years ("startDateTime + 2 years": "application: addPassword",
  // https://learn.microsoft.com/graph/api/application-addpassword).
  const defaultEnd = new Date(start);
  defaultEnd.setUTCFullYear(defaultEnd.getUTCFullYear() + 2);
  const end = parseDate(cred.endDateTime, "endDateTime") ?? defaultEnd;
  if (end.getTime() <= start.getTime())
    throw graphErrors.badRequest("The endDateTime must be later than the startDateTime.");
  const displayName = typeof cred.displayName === "string" ? cred.displayName : undefined;
  const secret = newSecret();
  const record: PasswordCredentialRecord = {
    keyId: emu.newId(),
    hint: secret.slice(0, 3),
    secretHash: hashSecret(secret),
    startDateTime: start.toISOString(),
    endDateTime: end.toISOString(),
  };
  if (displayName !== undefined) record.displayName = displayName;
  app.passwordCredentials.push(record);
  emu.markDirty();
  return graphOk(req, 200, {
    "@odata.context": contextUrl(req, "microsoft.graph.passwordCredential"),
    ...passwordView(record),
    secretText: secret,
  });
}

function removePassword(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const app = findApplication(req, caller.tenant);
  const keyId = optString(jsonBody(req), "keyId");
  if (keyId === undefined) throw graphErrors.badRequest("Property 'keyId' is required.");
  const idx = app.passwordCredentials.findIndex((p) => p.keyId.toLowerCase() === keyId.toLowerCase());
  // [U] status/code for an unknown keyId: 400 Request_BadRequest assumed.
  if (idx < 0) throw graphErrors.badRequest(`No password credential found with keyId '${keyId}'.`);
  app.passwordCredentials.splice(idx, 1);
  emu.markDirty();
  return graphOk(req, 204);
}

/** Routes of the `applications` entity set (both `/applications/{id}` and `/applications(appId='…')`). */
export const applicationRoutes: Route[] = [
  graphRoute("POST", "/v1.0/applications", "applicationsWrite", create),
  graphRoute("GET", "/v1.0/applications", "applicationsRead", list),
  graphRoute("GET", "/v1.0/applications(uniqueName=':uniqueName')", "applicationsRead", getByUniqueName),
  graphRoute("PATCH", "/v1.0/applications(uniqueName=':uniqueName')", "applicationsWrite", upsert),
  ...idOrAppIdRoutes("applications", [
    ["GET", "", "applicationsRead", get],
    ["PATCH", "", "applicationsWrite", update],
    ["DELETE", "", "applicationsWrite", remove],
    ["POST", "/addPassword", "applicationsWrite", addPassword],
    ["POST", "/removePassword", "applicationsWrite", removePassword],
  ]),
];
