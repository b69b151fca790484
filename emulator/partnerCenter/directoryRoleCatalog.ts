/**
 * Directory roles Partner Center exposes for customer tenants. Their ids are the Entra ID role
 * template ids (the role ids in the examples of "Get user roles for a customer",
 * https://learn.microsoft.com/partner-center/developer/get-user-roles-for-a-customer, are template
 * ids); Helpdesk Administrator, User Administrator, Exchange Administrator and Global Reader are
 * [C] (that page and the examples of "Create delegatedAdminRelationship",
 * https://learn.microsoft.com/graph/api/tenantrelationship-post-delegatedadminrelationships), the
 * others are the well-known template ids [U: not checked against a Learn page].
 */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = "62e90394-69f5-4237-9190-012177145e10";

export const DIRECTORY_ROLES: { id: string; name: string }[] = [
  { id: GLOBAL_ADMINISTRATOR_ROLE_ID, name: "Global Administrator" },
  { id: "fe930be7-5e62-47db-91af-98c3a49a38b1", name: "User Administrator" },
  { id: "729827e3-9c14-49f7-bb1b-9608f156bbb8", name: "Helpdesk Administrator" },
  { id: "b0f54661-2d74-4c50-afa3-1ec803f12efe", name: "Billing Administrator" },
  { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader" },
  { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", name: "Application Administrator" },
  { id: "158c047a-c907-4556-b7ef-446551a6b5f7", name: "Cloud Application Administrator" },
  { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" },
  { id: "194ae4cb-b126-40b2-bd5b-6091b380977d", name: "Security Administrator" },
  { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", name: "Privileged Role Administrator" },
];

export function findDirectoryRole(id: string): { id: string; name: string } | undefined {
  const wanted = id.toLowerCase();
  return DIRECTORY_ROLES.find((r) => r.id === wanted);
}
