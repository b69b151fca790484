import type { AuthTarget, ServiceClient } from "../../http/types";
import { deleteIfPresent } from "../deleteIfPresent";
import { odataString } from "./odata";

/**
 * Microsoft Graph application registrations ("Create application",
 * https://learn.microsoft.com/graph/api/application-post-applications; "application: addPassword",
 * https://learn.microsoft.com/graph/api/application-addpassword): create, upsert by `uniqueName`, read,
 * update, delete, and password credentials (`addPassword` / `removePassword`). The caller chooses the
 * identity (see `provider/auth/actingIdentity.ts`): app-only in the tenant that owns the
 * application.
 *
 * Documented: `POST /applications` answers 201 and cannot set passwords; `addPassword` answers
 * 200 with `secretText` returned only once; `removePassword` takes `{keyId}` (204 [U]).
 */

export interface GraphResourceAccess {
  id: string;
  type: "Scope" | "Role";
}

export interface GraphRequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: GraphResourceAccess[];
}

export interface GraphPasswordCredential {
  keyId: string;
  displayName?: string | null;
  hint?: string | null;
  startDateTime?: string;
  endDateTime?: string;
  /** Only in the `addPassword` answer. */
  secretText?: string;
}

export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience?: string;
  requiredResourceAccess?: GraphRequiredResourceAccess[];
  web?: { redirectUris?: string[] };
  identifierUris?: string[];
  tags?: string[];
  passwordCredentials?: GraphPasswordCredential[];
}

/** Writable application fields used by pulumi-csp. */
export interface GraphApplicationWrite {
  displayName?: string;
  signInAudience?: string;
  requiredResourceAccess?: GraphRequiredResourceAccess[];
  web?: { redirectUris: string[] };
  identifierUris?: string[];
  tags?: string[];
}

const APPS = "/v1.0/applications";

/** The address of the application holding the alternate key `uniqueName`. */
function byUniqueName(uniqueName: string): string {
  return `${APPS}(uniqueName=${odataString(uniqueName)})`;
}

/**
 * Creates the application holding `uniqueName`, or brings the one that holds it to `body`
 * ("Upsert application", https://learn.microsoft.com/graph/api/application-upsert: `PATCH
 * /applications(uniqueName='…')` with `Prefer: create-if-missing` answers 201 with the new
 * application, or 204 without a body when one existed and was updated). Repeating it changes
 * nothing more, so the pipeline may repeat it after a lost answer. `undefined`: it existed (read
 * it with {@link getApplicationByUniqueName}).
 */
export async function upsertApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  uniqueName: string,
  body: GraphApplicationWrite & { displayName: string },
): Promise<GraphApplication | undefined> {
  const res = await graph.send<GraphApplication>({
    method: "PATCH",
    path: byUniqueName(uniqueName),
    headers: { Prefer: "create-if-missing" },
    body,
    auth,
    idempotent: true,
  });
  return res.status === 201 ? res.body : undefined;
}

/** The application holding the alternate key `uniqueName`, or `undefined` (404). */
export async function getApplicationByUniqueName(
  graph: ServiceClient,
  auth: AuthTarget,
  uniqueName: string,
): Promise<GraphApplication | undefined> {
  const res = await graph.send<GraphApplication>({
    method: "GET",
    path: byUniqueName(uniqueName),
    auth,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/**
 * Creates an application. Graph takes no idempotency key: the pipeline does not repeat this POST
 * after a lost response. Resources create through {@link upsertApplication}, which a retry cannot
 * duplicate; this plain POST is what the benchmark's sequential script sends.
 */
export async function createApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  body: GraphApplicationWrite & { displayName: string },
): Promise<GraphApplication> {
  const res = await graph.send<GraphApplication>({ method: "POST", path: APPS, body, auth });
  return res.body;
}

/** The application by object id, or `undefined` (404). */
export async function getApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
): Promise<GraphApplication | undefined> {
  const res = await graph.send<GraphApplication>({
    method: "GET",
    path: `${APPS}/${encodeURIComponent(id)}`,
    auth,
    okStatuses: [404],
  });
  return res.status === 404 ? undefined : res.body;
}

/** Patches the application (PATCH is idempotent: same body, same result). */
export async function updateApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
  patch: GraphApplicationWrite,
): Promise<void> {
  await graph.send({
    method: "PATCH",
    path: `${APPS}/${encodeURIComponent(id)}`,
    body: patch,
    auth,
    idempotent: true,
  });
}

/** Deletes the application (Entra keeps it in deleted items for 30 days). `false` when absent. */
export async function deleteApplication(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
): Promise<boolean> {
  return deleteIfPresent(graph, {
    path: `${APPS}/${encodeURIComponent(id)}`,
    auth,
  });
}

/**
 * Adds a password credential; the answer carries `secretText` once. Not idempotent (each call
 * adds a credential): never repeated by the pipeline; the caller cleans up after a lost answer.
 */
export async function addApplicationPassword(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
  credential: { displayName?: string; endDateTime?: string },
): Promise<GraphPasswordCredential> {
  const res = await graph.send<GraphPasswordCredential>({
    method: "POST",
    path: `${APPS}/${encodeURIComponent(id)}/addPassword`,
    body: { passwordCredential: credential },
    auth,
  });
  return res.body;
}

/** Removes a password credential by key id. Repeating it is harmless (idempotent by design). */
export async function removeApplicationPassword(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
  keyId: string,
): Promise<void> {
  await graph.send({
    method: "POST",
    path: `${APPS}/${encodeURIComponent(id)}/removePassword`,
    body: { keyId },
    auth,
    idempotent: true,
    okStatuses: [404],
  });
}
