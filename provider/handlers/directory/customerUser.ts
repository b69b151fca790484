import { z } from "zod";
import { listUserDirectoryRoles } from "../../clients/partnerCenter/directoryRoles";
import { listSubscribedSkus, listUserLicenseSkuIds } from "../../clients/partnerCenter/licenses";
import {
  deleteCustomerUser,
  getCustomerUser,
  type PcCustomerUser,
  updateCustomerUser,
} from "../../clients/partnerCenter/users";
import {
  accountFailures,
  changedKeys,
  jsonEqual,
  partialCreate,
  refusal,
  stripUndefined,
  validateInputs,
} from "../common";
import { countryProblem } from "../countryCodes";
import { gdapHinted, withGdapHints } from "../gdap/gdapAccessHint";
import { account, guid, text } from "../identity/schemas";
import type { CheckFailure, CheckResult, HandlerContext, ResourceHandler } from "../types";
import { isUnknown } from "../types";
import { checkDomain } from "./customerDomains";
import { rolesAsDeclared } from "./directoryRoleCatalog";
import { generatePassword, passwordProblem } from "./passwords";
import { roleFailures, roleIdsOf } from "./roleInputs";
import { unknownKeys } from "./unknowns";
import { createOrRecover, findActiveUser } from "./userCreate";
import { licensesAsDeclared, licensesField, reconcileLicenses, verifyLicenses } from "./userLicenses";
import { userPrincipalNameProblem } from "./userPrincipalName";
import { reconcileRoles } from "./userRoles";

/**
 * CustomerUser: a user in a customer tenant, managed through Partner Center ("Create user accounts
 * for a customer",
 * https://learn.microsoft.com/partner-center/developer/create-user-accounts-for-a-customer; every
 * call app+user, see `provider/auth/actingIdentity.ts`).
 *
 * - The user principal name's domain must be one of the customer's domains (check reads the
 *   customer when its id is known).
 * - `password` is a secret input; without it a strong password is generated once and returned as
 *   the secret output `password`. Removing the input later keeps the current password.
 * - `roles` (names such as "Helpdesk Administrator", or template ids) are reconciled as a set
 *   through directory role members.
 * - `licenses` (SKU names, part numbers or ids) are reconciled as a set through license updates,
 *   each new one needing a free seat, verified before any write (`userLicenses.ts`).
 * - Create is safe to retry: a user with the same UPN that is active (e.g. created by a run whose
 *   response was lost) is adopted, a soft-deleted one is restored; either way it is then set to
 *   the declared properties and password.
 * - A UPN change replaces the user (new user, old one soft-deleted).
 * - Delete is Partner Center's soft delete: restorable for 30 days.
 * - Partner Center needs GDAP roles in the customer for all of it (User Administrator; Privileged
 *   Role Administrator for directory roles); a refusal says which role is missing and through which
 *   relationship or group to get it (gdap/gdapAccessHint.ts).
 */

/**
 * The checked inputs (what {@link customerUserSchema} yields: `usageLocation` upper case, strings trimmed).
 * `licenses`: by SKU name, part number or id, reconciled as a set; not managed when absent.
 */
export type CustomerUserInputs = z.output<typeof customerUserSchema>;

export interface CustomerUserOutputs extends CustomerUserInputs {
  /** Object id of the user in the customer tenant. */
  userId: string;
  /** Current password (declared or generated); secret output. */
  password: string;
  forceChangePassword: boolean;
  roles: string[];
  /** Role template ids the user holds. */
  roleIds: string[];
  /** SKU ids of the licenses the user holds (when `licenses` is declared). */
  licenseSkuIds?: string[];
  /** Partner Center `state` (`active`). */
  state: string;
}

type Props = CustomerUserInputs & CustomerUserOutputs;

export const customerUserSchema = z
  .object({
    account,
    customerId: guid,
    userPrincipalName: z
      .string()
      .trim()
      .superRefine((s, ctx) => {
        const problem = userPrincipalNameProblem(s);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    firstName: text(64).optional(),
    lastName: text(64).optional(),
    displayName: text(256),
    usageLocation: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .superRefine((s, ctx) => {
        const problem = countryProblem(s);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    password: z
      .string()
      .superRefine((s, ctx) => {
        const problem = passwordProblem(s);
        // The value is a secret: the message states the rule, never the value.
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    forceChangePassword: z.boolean().optional(),
    roles: z.array(z.string().trim().min(1, "must not be empty")).optional(),
    licenses: licensesField,
  })
  .strict();

const UPDATABLE: (keyof CustomerUserInputs & string)[] = [
  "firstName",
  "lastName",
  "displayName",
  "usageLocation",
  "password",
  "forceChangePassword",
  "roles",
  "licenses",
];

async function check(olds: Partial<CustomerUserInputs>, news: CustomerUserInputs, ctx: HandlerContext) {
  const result = validateWithSecretSafety(news);
  // Entra ID assigns licenses only to users with a usage location: a missing one says so.
  const licensed = Array.isArray(news.licenses) && news.licenses.length > 0;
  const failures: CheckFailure[] = (result.failures ?? []).map((f) =>
    licensed && !news.usageLocation && f.property === "usageLocation"
      ? refusal(
          "usageLocation",
          "is required to assign licenses (Microsoft licenses a user only with a usage location)",
          news.usageLocation,
        )
      : f,
  );
  failures.push(...roleFailures(news.roles));
  failures.push(...accountFailures(news.account, ctx.config));
  if (failures.length > 0) return { failures };
  const inputs = result.inputs!;
  // The UPN's domain must be a domain of the customer: a read, only when both values are known,
  // and only for a new user or one whose customer, UPN or account changes. An unchanged user was
  // checked before it was created, so a no-op preview or up costs no call.
  const unchanged =
    olds.customerId === inputs.customerId &&
    olds.account === inputs.account &&
    typeof olds.userPrincipalName === "string" &&
    olds.userPrincipalName.toLowerCase() === inputs.userPrincipalName.toLowerCase();
  if (
    !unchanged &&
    !isUnknown(news.customerId) &&
    !isUnknown(news.userPrincipalName) &&
    !isUnknown(news.account)
  ) {
    const domainFailure = await checkDomain(inputs, ctx);
    if (domainFailure) return { failures: [domainFailure] };
  }
  return { inputs };
}

/** zod validation whose failure text never quotes the password value. */
function validateWithSecretSafety(news: CustomerUserInputs): CheckResult<CustomerUserInputs> {
  const result = validateInputs(customerUserSchema, news);
  if (!result.failures) return result;
  return {
    failures: result.failures.map((f) =>
      f.property === "password"
        ? { property: "password", reason: f.reason.replace(/\(got .*\)$/, "(value hidden)") }
        : f,
    ),
  };
}

async function diff(_id: string, olds: Props, news: CustomerUserInputs) {
  const unknown = unknownKeys(news, ["account", "customerId", "userPrincipalName", ...UPDATABLE]);
  const replaces: string[] = (["account", "customerId"] as const).filter(
    (k) => unknown.includes(k) || (olds[k] ?? "") !== (news[k] ?? ""),
  );
  if (
    unknown.includes("userPrincipalName") ||
    olds.userPrincipalName.toLowerCase() !== news.userPrincipalName.toLowerCase()
  ) {
    replaces.push("userPrincipalName");
  }
  const known = UPDATABLE.filter((k) => !unknown.includes(k));
  const changed = changedKeys(comparableOlds(olds), comparableNews(olds, news), known);
  return { changes: replaces.length > 0 || changed.length > 0 || unknown.length > 0, replaces };
}

/** Olds as the user declared them, for comparison (outputs fill in defaults). */
function comparableOlds(olds: Props): Partial<CustomerUserInputs> {
  return {
    ...olds,
    roles: normaliseRoleIds(olds.roles ?? []),
    forceChangePassword: olds.forceChangePassword ?? true,
    ...(olds.licenses ? { licenses: normaliseLicenses(olds.licenses) } : {}),
  };
}

function comparableNews(olds: Props, news: CustomerUserInputs): CustomerUserInputs {
  return {
    ...news,
    // No password input means "keep the current one".
    password: news.password ?? olds.password,
    roles: Array.isArray(news.roles) ? normaliseRoleIds(news.roles) : [],
    forceChangePassword: news.forceChangePassword ?? true,
    ...(Array.isArray(news.licenses) ? { licenses: normaliseLicenses(news.licenses) } : {}),
  };
}

function normaliseLicenses(licenses: readonly string[]): string[] {
  return [...new Set(licenses.map((l) => l.toLowerCase()))].sort();
}

function normaliseRoleIds(roles: readonly string[]): string[] {
  return roleIdsOf(roles);
}

async function create(inputs: CustomerUserInputs, ctx: HandlerContext) {
  const pc = ctx.api(inputs.account).partnerCenter;
  const password = inputs.password ?? generatePassword();
  const forceChangePassword = inputs.forceChangePassword ?? true;
  const desiredRoleIds = normaliseRoleIds(inputs.roles ?? []);
  const upn = inputs.userPrincipalName;
  // Seats are verified before any write (a user taken over may hold some licenses already).
  const skus = inputs.licenses
    ? await verifyLicenses(pc, inputs.customerId, inputs.licenses, {
        upn,
        id: (await findActiveUser(pc, inputs.customerId, upn))?.id,
      })
    : undefined;

  const { user, isNew } = await createOrRecover(pc, inputs, password, forceChangePassword, ctx);
  const base = outputs(inputs, user, password, forceChangePassword, []);
  try {
    // A user this create just made holds no directory role: its roles are added without a read.
    const roleIds = await reconcileRoles(pc, inputs.customerId, user, desiredRoleIds, isNew ? [] : undefined);
    const licenseSkuIds = inputs.licenses
      ? await reconcileLicenses(pc, inputs.customerId, { id: user.id, upn }, inputs.licenses, skus)
      : undefined;
    return {
      id: user.id,
      outs: outputs(inputs, user, password, forceChangePassword, roleIds, licenseSkuIds),
    };
  } catch (e) {
    throw partialCreate(await gdapHinted(e, ctx, inputs.account, inputs.customerId), user.id, base);
  }
}

function outputs(
  inputs: CustomerUserInputs,
  user: PcCustomerUser,
  password: string,
  forceChangePassword: boolean,
  roleIds: string[],
  licenseSkuIds?: string[],
): CustomerUserOutputs {
  return stripUndefined({
    ...inputs,
    userPrincipalName: user.userPrincipalName ?? inputs.userPrincipalName,
    userId: user.id,
    password,
    forceChangePassword,
    roles: inputs.roles ?? [],
    roleIds,
    licenseSkuIds,
    state: user.state ?? "active",
  });
}

async function read(id: string, props: Props, ctx: HandlerContext) {
  const pc = ctx.api(props.account).partnerCenter;
  const user = await getCustomerUser(pc, props.customerId, id);
  if (!user || user.state === "inactive") return {};
  const roleIds = (await listUserDirectoryRoles(pc, props.customerId, id))
    .map((r) => r.id.toLowerCase())
    .sort();
  const roles = rolesAsDeclared(props.roles ?? [], roleIds);
  // Licenses are read only when the program manages them.
  let licensed: { licenses: string[]; licenseSkuIds: string[] } | undefined;
  if (props.licenses) {
    const licenseSkuIds = await listUserLicenseSkuIds(pc, props.customerId, id);
    const skus = await listSubscribedSkus(pc, props.customerId);
    licensed = { licenses: licensesAsDeclared(skus, props.licenses, licenseSkuIds), licenseSkuIds };
  }
  const observed = stripUndefined({
    userPrincipalName: user.userPrincipalName,
    firstName: user.firstName ?? undefined,
    lastName: user.lastName ?? undefined,
    displayName: user.displayName ?? props.displayName,
    usageLocation: user.usageLocation ?? props.usageLocation,
  });
  const outs: CustomerUserOutputs = stripUndefined({
    ...props,
    ...observed,
    roles,
    roleIds,
    ...licensed,
    state: user.state ?? "active",
  });
  // The inputs a refresh records are stored by the engine as they are: a dynamic provider cannot
  // mark an input secret, so the password (declared or generated) is never among them. It stays a
  // secret output, and diff compares it there. `forceChangePassword` is recorded only when it is
  // not the default, i.e. when the program declared it.
  const inputs: CustomerUserInputs = stripUndefined({
    account: props.account,
    customerId: props.customerId,
    ...observed,
    forceChangePassword: props.forceChangePassword === false ? false : undefined,
    roles,
    licenses: licensed?.licenses,
  });
  return { id, props: outs, inputs };
}

async function update(id: string, olds: Props, news: CustomerUserInputs, ctx: HandlerContext) {
  const pc = ctx.api(news.account).partnerCenter;
  const forceChangePassword = news.forceChangePassword ?? true;
  const password = news.password ?? olds.password ?? generatePassword();
  const upn = olds.userPrincipalName;
  // Roles and licenses are reconciled only when their declaration changed: a change of profile
  // fields costs its PATCH alone. (Drift made outside Pulumi shows in a refresh, which records it
  // in the olds, so the next update sees the difference.)
  const rolesChanged = !jsonEqual(normaliseRoleIds(olds.roles ?? []), normaliseRoleIds(news.roles ?? []));
  const licensesChanged =
    news.licenses !== undefined &&
    (olds.licenses === undefined ||
      !jsonEqual(normaliseLicenses(olds.licenses), normaliseLicenses(news.licenses)));
  // Seats are verified before any write of the update.
  const skus = licensesChanged
    ? await verifyLicenses(pc, news.customerId, news.licenses!, { id, upn })
    : undefined;
  const patch = stripUndefined({
    firstName: news.firstName !== olds.firstName ? news.firstName : undefined,
    lastName: news.lastName !== olds.lastName ? news.lastName : undefined,
    displayName: news.displayName !== olds.displayName ? news.displayName : undefined,
    usageLocation: news.usageLocation !== olds.usageLocation ? news.usageLocation : undefined,
    passwordProfile:
      password !== olds.password || forceChangePassword !== (olds.forceChangePassword ?? true)
        ? { password, forceChangePassword }
        : undefined,
  });
  let user: PcCustomerUser = { id, userPrincipalName: olds.userPrincipalName, displayName: olds.displayName };
  if (Object.keys(patch).length > 0) {
    const updated = await updateCustomerUser(pc, news.customerId, id, patch);
    user = { ...user, ...updated, id };
  }
  const roleIds = rolesChanged
    ? await reconcileRoles(pc, news.customerId, user, normaliseRoleIds(news.roles ?? []))
    : (olds.roleIds ?? normaliseRoleIds(news.roles ?? []));
  const licenseSkuIds = licensesChanged
    ? await reconcileLicenses(pc, news.customerId, { id, upn }, news.licenses!, skus)
    : news.licenses
      ? olds.licenseSkuIds
      : undefined;
  return {
    outs: outputs(news, { ...user, state: "active" }, password, forceChangePassword, roleIds, licenseSkuIds),
  };
}

async function remove(id: string, props: Props, ctx: HandlerContext) {
  const pc = ctx.api(props.account).partnerCenter;
  const deleted = await deleteCustomerUser(pc, props.customerId, id);
  if (deleted) {
    ctx.log(
      `customer user ${props.userPrincipalName} (id ${id}) was soft-deleted: Partner Center keeps it restorable for 30 days (declaring it again restores it), then purges it`,
    );
  }
}

export const customerUserHandler: ResourceHandler<CustomerUserInputs, CustomerUserOutputs> = withGdapHints({
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
});
