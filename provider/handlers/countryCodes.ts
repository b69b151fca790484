/**
 * ISO 3166-1 alpha-2 country codes (the 249 officially assigned ones): Partner Center and Entra
 * ID `usageLocation` must be one of them ("user resource type",
 * https://learn.microsoft.com/graph/api/resources/user: usageLocation is a two-letter ISO 3166
 * country code; [U] that unassigned codes are rejected is our reading, not stated there).
 */
const CODES =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO " +
  "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE " +
  "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO " +
  "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW " +
  "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM " +
  "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

const COUNTRY_CODES: ReadonlySet<string> = new Set(CODES.split(" "));

/** True when `code` is an assigned ISO 3166-1 alpha-2 code (upper case). */
export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code);
}

/** Why `code` is not a usage location, or `undefined` when it is one. */
export function countryProblem(code: string): string | undefined {
  if (!/^[A-Z]{2}$/.test(code)) return "must be a two-letter ISO 3166-1 country code such as US or DE";
  if (!isCountryCode(code)) return `must be an assigned ISO 3166-1 country code ("${code}" is not one)`;
  return undefined;
}
