import { refusal } from "../common";
import type { CheckFailure } from "../types";
import { isUnknown } from "../types";
import { resolveDirectoryRole, suggestDirectoryRoles } from "./directoryRoleCatalog";

/** Check failures for `roles` entries that are neither a known directory role name nor a template id. */
export function roleFailures(roles: unknown, property = "roles"): CheckFailure[] {
  if (!Array.isArray(roles)) return [];
  const failures: CheckFailure[] = [];
  roles.forEach((role, i) => {
    if (typeof role !== "string" || isUnknown(role) || role.trim() === "") return;
    if (!resolveDirectoryRole(role)) {
      const near = suggestDirectoryRoles(role);
      failures.push(
        refusal(
          `${property}[${i}]`,
          `is not a known directory role name${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(", ")}?)` : ""}; use a role name such as "Helpdesk Administrator" or a role template id`,
          role,
        ),
      );
    }
  });
  return failures;
}

/** Template ids of declared roles (names or ids), de-duplicated and sorted. */
export function roleIdsOf(roles: readonly string[]): string[] {
  return [...new Set(roles.map((r) => resolveDirectoryRole(r) ?? r.toLowerCase()))].sort();
}
