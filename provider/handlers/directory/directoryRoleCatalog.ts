/**
 * Microsoft Entra built-in directory roles by template id, with their current names and the
 * older names Partner Center and Graph still return (`Company Administrator`,
 * `User Account Administrator`, `Exchange Service Administrator`, ...).
 *
 * Template ids are fixed by Microsoft and identical in every tenant; Partner Center directory role
 * ids and GDAP `unifiedRoles[].roleDefinitionId` are these template ids (the examples of "Get user
 * roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer, and of
 * "Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships). The
 * list holds the roles partners commonly grant; any other role can be given by template id.
 */
export interface DirectoryRoleTemplate {
  id: string;
  /** Current display name. */
  name: string;
  /** Former names still seen in API responses. */
  aliases?: string[];
}

/** Global Administrator's template id (GDAP: auto-extend is not available with this role). */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = "62e90394-69f5-4237-9190-012177145e10";

export const DIRECTORY_ROLE_TEMPLATES: readonly DirectoryRoleTemplate[] = [
  { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", name: "Application Administrator" },
  { id: "cf1c38e5-3621-4004-a7cb-879624dced7c", name: "Application Developer" },
  { id: "c4e39bd9-1100-46d3-8c65-fb160da0071f", name: "Authentication Administrator" },
  { id: "e3973bdf-4987-49ae-837a-ba8e231c7286", name: "Azure DevOps Administrator" },
  { id: "7495fdc4-34c4-4d15-a289-98788ce399fd", name: "Azure Information Protection Administrator" },
  { id: "b0f54661-2d74-4c50-afa3-1ec803f12efe", name: "Billing Administrator" },
  { id: "158c047a-c907-4556-b7ef-446551a6b5f7", name: "Cloud Application Administrator" },
  { id: "7698a772-787b-4ac8-901f-60d6b08affd2", name: "Cloud Device Administrator" },
  { id: "17315797-102d-40b4-93e0-432062caca18", name: "Compliance Administrator" },
  { id: "e6d1a23a-da11-4be4-9570-befc86d067a7", name: "Compliance Data Administrator" },
  { id: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", name: "Conditional Access Administrator" },
  { id: "5c4f9dcd-47dc-4cf7-8c9a-9e4207cbfc91", name: "Customer LockBox Access Approver" },
  { id: "38a96431-2bdf-4b4c-8b6e-5d3d8abac1a4", name: "Desktop Analytics Administrator" },
  { id: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", name: "Directory Readers" },
  { id: "d29b2b05-8046-44ba-8758-1e26182fcf32", name: "Directory Synchronization Accounts" },
  { id: "9360feb5-f418-4baa-8175-e2a00bac4301", name: "Directory Writers" },
  {
    id: "44367163-eba1-44c3-98af-f5787879f96a",
    name: "Dynamics 365 Administrator",
    aliases: ["CRM Service Administrator"],
  },
  {
    id: "29232cdf-9323-42fd-ade2-1d097af3e4de",
    name: "Exchange Administrator",
    aliases: ["Exchange Service Administrator"],
  },
  { id: "be2f45a1-457d-42af-a067-6ec1fa63bc45", name: "External Identity Provider Administrator" },
  {
    id: GLOBAL_ADMINISTRATOR_ROLE_ID,
    name: "Global Administrator",
    aliases: ["Company Administrator"],
  },
  { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader" },
  { id: "fdd7a751-b60b-444a-984c-02652fe8fa1c", name: "Groups Administrator" },
  { id: "95e79109-95c0-4d8e-aee3-d01accf2d47b", name: "Guest Inviter" },
  { id: "729827e3-9c14-49f7-bb1b-9608f156bbb8", name: "Helpdesk Administrator" },
  {
    id: "3a2c62db-5318-420d-8d74-23affee5d9d5",
    name: "Intune Administrator",
    aliases: ["Intune Service Administrator"],
  },
  { id: "4d6ac14f-3453-41d0-bef9-a3e0c569773a", name: "License Administrator" },
  { id: "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b", name: "Message Center Reader" },
  { id: "ac16e43d-7b2d-40e0-ac05-243ff356ab5b", name: "Message Center Privacy Reader" },
  { id: "2b745bdf-0803-4d80-aa65-822c4493daac", name: "Office Apps Administrator" },
  { id: "966707d0-3269-4727-9be2-8c3a10f19b9d", name: "Password Administrator" },
  {
    id: "a9ea8996-122f-4c74-9520-8edcd192826c",
    name: "Fabric Administrator",
    aliases: ["Power BI Administrator", "Power BI Service Administrator"],
  },
  { id: "11648597-926c-4cf3-9c36-bcebb0ba8dcc", name: "Power Platform Administrator" },
  { id: "644ef478-e28f-4e28-b9dc-3fdde9aa0b1f", name: "Printer Administrator" },
  { id: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", name: "Privileged Authentication Administrator" },
  { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", name: "Privileged Role Administrator" },
  { id: "4a5d8f65-41da-4de4-8968-e035b65339cf", name: "Reports Reader" },
  { id: "0964bb5e-9bdb-4d7b-ac29-58e794862a40", name: "Search Administrator" },
  { id: "194ae4cb-b126-40b2-bd5b-6091b380977d", name: "Security Administrator" },
  { id: "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", name: "Security Operator" },
  { id: "5d6b6bb7-de71-4623-b4af-96380a352509", name: "Security Reader" },
  { id: "f023fd81-a637-4b56-95fd-791ac0226033", name: "Service Support Administrator" },
  {
    id: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    name: "SharePoint Administrator",
    aliases: ["SharePoint Service Administrator"],
  },
  {
    id: "75941009-915a-4869-abe7-691bff18279e",
    name: "Skype for Business Administrator",
    aliases: ["Lync Service Administrator"],
  },
  {
    id: "69091246-20e8-4a56-aa4d-066075b2a7a8",
    name: "Teams Administrator",
    aliases: ["Teams Service Administrator"],
  },
  { id: "baf37b3a-610e-45da-9e62-d9d1e5e8914b", name: "Teams Communications Administrator" },
  { id: "f70938a0-fc10-4177-9e90-2178f8765737", name: "Teams Communications Support Engineer" },
  { id: "fcf91098-03e3-41a9-b5ba-6f0ec8188a12", name: "Teams Communications Support Specialist" },
  {
    id: "fe930be7-5e62-47db-91af-98c3a49a38b1",
    name: "User Administrator",
    aliases: ["User Account Administrator"],
  },
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Template id of a role given by name (current or former, case-insensitive) or by template id
 * (any GUID: roles outside the catalog can be named by id). `undefined` for an unknown name.
 */
export function resolveDirectoryRole(nameOrId: string): string | undefined {
  const trimmed = nameOrId.trim();
  if (GUID.test(trimmed)) return trimmed.toLowerCase();
  const wanted = normaliseName(trimmed);
  const found = DIRECTORY_ROLE_TEMPLATES.find(
    (r) => normaliseName(r.name) === wanted || (r.aliases ?? []).some((a) => normaliseName(a) === wanted),
  );
  return found?.id;
}

/** Current display name of a template id, when the catalog knows it. */
export function directoryRoleName(templateId: string): string | undefined {
  const id = templateId.toLowerCase();
  return DIRECTORY_ROLE_TEMPLATES.find((r) => r.id === id)?.name;
}

/** Closest catalog names to an unknown name, for a helpful check failure. */
export function suggestDirectoryRoles(nameOrId: string, max = 3): string[] {
  const words = normaliseName(nameOrId)
    .split(" ")
    .filter((w) => w.length > 2);
  const scored = DIRECTORY_ROLE_TEMPLATES.map((r) => {
    const n = normaliseName(r.name);
    return { name: r.name, score: words.filter((w) => n.includes(w)).length };
  })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}

/**
 * Maps actual role template ids back to the user's way of naming them: a role the user named
 * keeps its name; others appear as template ids. Keeps the order of `declared` first.
 */
export function rolesAsDeclared(declared: readonly string[], actualIds: readonly string[]): string[] {
  const actual = new Set(actualIds.map((i) => i.toLowerCase()));
  const out: string[] = [];
  const covered = new Set<string>();
  for (const d of declared) {
    const id = resolveDirectoryRole(d);
    if (id && actual.has(id) && !covered.has(id)) {
      out.push(d);
      covered.add(id);
    }
  }
  for (const id of actual) if (!covered.has(id)) out.push(id);
  return out;
}
