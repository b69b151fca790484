/**
 * User principal names as Microsoft Entra ID accepts them ("Password policies and account
 * restrictions in Microsoft Entra ID", section Username policies:
 * https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy#username-policies):
 *
 * - the name before "@": A–Z, a–z, 0–9 and ' . - _ ! # ^ ~ only, at most 64 characters, and no
 *   period immediately before the "@";
 * - at most 48 characters after the "@", at most 113 in all.
 *
 * Unconfirmed [U], chosen: the name may not start with a period nor hold two in a row (the page
 * is silent; the RFC 5322 dot-atom that UPNs follow forbids both, and such names were seen to fail
 * at creation).
 */

const NAME_CHAR = "[A-Za-z0-9'_!#^~-]";

/** The name part before "@": the documented characters, dots only between other characters. */
export const USER_NAME = new RegExp(`^(?=.{1,64}$)${NAME_CHAR}(?:\\.?${NAME_CHAR})*$`);

const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const USER_NAME_RULE =
  "must be 1-64 of the characters A-Z a-z 0-9 ' . - _ ! # ^ ~, with a period only between two other characters (Entra ID username policy)";

/** Why Entra ID would refuse this name part, or undefined. */
export function userNameProblem(name: string): string | undefined {
  return USER_NAME.test(name) ? undefined : USER_NAME_RULE;
}

/** Why Entra ID would refuse this user principal name, or undefined. */
export function userPrincipalNameProblem(upn: string): string | undefined {
  const at = upn.lastIndexOf("@");
  if (at <= 0) return "must be a user principal name like alice@contoso.onmicrosoft.com";
  const name = upn.slice(0, at);
  const domain = upn.slice(at + 1);
  if (userNameProblem(name)) return `the name before @ ${USER_NAME_RULE}`;
  if (!DOMAIN.test(domain))
    return "must end with @ and a domain of the customer, like @contoso.onmicrosoft.com";
  if (domain.length > 48) return "must have at most 48 characters after the @ (Entra ID username policy)";
  if (upn.length > 113) return "must have at most 113 characters (Entra ID username policy)";
  return undefined;
}
