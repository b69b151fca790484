import { addUser, findUserByUpn } from "../common/directory";
import { hashSecret } from "../common/hashSecret";
import { isObject } from "../common/json";
import type { DirectoryTenant, DirectoryUser } from "../common/state";
import type { EmulatorCore, EmuRequest, Route } from "../common/types";
import { entityAnswer, pageAnswer } from "./graphAnswers";
import type { GraphCaller } from "./graphCaller";
import { graphErrors } from "./graphErrors";
import { graphRoute, jsonBody, reqString } from "./graphRoute";
import { contextUrl, filterFor, matchesFilter, selectOne } from "./odata";

/**
 * Microsoft Graph `users` ("List users", https://learn.microsoft.com/graph/api/user-list; "Get
 * user", https://learn.microsoft.com/graph/api/user-get): get (by id or UPN), list (active users
 * only: soft-deleted users live in deleted items), and a minimal create.
 */

/** Graph JSON of a user (v1.0 default property set; `$select` can add the rest). */
export function userView(u: DirectoryUser): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName ?? null,
    jobTitle: null,
    mail: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: u.surname ?? null,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
  };
}

/** Extra properties available through `$select`. */
function userFullView(u: DirectoryUser): Record<string, unknown> {
  return {
    ...userView(u),
    accountEnabled: u.accountEnabled,
    createdDateTime: u.createdDateTime,
    usageLocation: u.usageLocation ?? null,
  };
}

function findUser(tenant: DirectoryTenant, idOrUpn: string): DirectoryUser {
  const u = tenant.users[idOrUpn] ?? (idOrUpn.includes("@") ? findUserByUpn(tenant, idOrUpn) : undefined);
  if (u?.state !== "active") throw graphErrors.resourceNotFound(idOrUpn);
  return u;
}

function get(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const u = findUser(caller.tenant, req.params.id);
  const view = req.query.get("$select") ? selectOne(req, userFullView(u)) : userView(u);
  return entityAnswer(req, contextUrl(req, "users/$entity"), view);
}

function list(req: EmuRequest, _emu: EmulatorCore, caller: GraphCaller) {
  const clauses = filterFor(req, [
    "userPrincipalName",
    "displayName",
    "id",
    "accountEnabled",
    "givenName",
    "surname",
  ]);
  const full = req.query.get("$select") !== null;
  const items = Object.values(caller.tenant.users)
    .filter((u) => u.state === "active")
    .filter((u) => matchesFilter(userFullView(u), clauses))
    .map((u) => (full ? userFullView(u) : userView(u)));
  return pageAnswer(req, contextUrl(req, "users"), items);
}

function create(req: EmuRequest, emu: EmulatorCore, caller: GraphCaller) {
  const body = jsonBody(req);
  const upn = reqString(body, "userPrincipalName", "user");
  const displayName = reqString(body, "displayName", "user");
  reqString(body, "mailNickname", "user");
  if (typeof body.accountEnabled !== "boolean") {
    throw graphErrors.badRequest("Property 'accountEnabled' is required when creating the 'user' object.");
  }
  const profile = body.passwordProfile;
  if (!isObject(profile) || typeof profile.password !== "string" || profile.password.length === 0) {
    throw graphErrors.badRequest("Property 'passwordProfile' is required when creating the 'user' object.");
  }
  const domain = upn.split("@")[1]?.toLowerCase();
  if (!domain || !caller.tenant.domains.includes(domain)) {
    throw graphErrors.badRequest(
      "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
    );
  }
  if (findUserByUpn(caller.tenant, upn)) {
    throw graphErrors.badRequest(
      "Another object with the same value for property userPrincipalName already exists.",
    );
  }
  const user = addUser(
    caller.tenant,
    {
      id: emu.newId(),
      userPrincipalName: upn,
      displayName,
      givenName: typeof body.givenName === "string" ? body.givenName : undefined,
      surname: typeof body.surname === "string" ? body.surname : undefined,
      usageLocation: typeof body.usageLocation === "string" ? body.usageLocation : undefined,
      accountEnabled: body.accountEnabled,
      passwordHash: hashSecret(profile.password),
      forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn !== false,
    },
    emu.now(),
  );
  emu.markDirty();
  return entityAnswer(req, contextUrl(req, "users/$entity"), userView(user), 201);
}

/** Routes of the `users` entity set. */
export const userRoutes: Route[] = [
  graphRoute("GET", "/v1.0/users", "usersRead", list),
  graphRoute("POST", "/v1.0/users", "usersWrite", create),
  graphRoute("GET", "/v1.0/users/:id", "usersRead", get),
];
