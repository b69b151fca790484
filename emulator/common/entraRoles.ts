/**
 * Entra ID built-in roles the emulator names, by role template id ("Microsoft Entra built-in
 * roles", https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference,
 * which lists each role's template id). One table for GDAP (the Default GDAP roles, the roles
 * Partner Center operations need in a customer) and the directory roles Partner Center exposes.
 */
export const ENTRA_ROLES = {
  globalAdministrator: { id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
  userAdministrator: { id: "fe930be7-5e62-47db-91af-98c3a49a38b1", name: "User Administrator" },
  helpdeskAdministrator: { id: "729827e3-9c14-49f7-bb1b-9608f156bbb8", name: "Helpdesk Administrator" },
  billingAdministrator: { id: "b0f54661-2d74-4c50-afa3-1ec803f12efe", name: "Billing Administrator" },
  directoryWriters: { id: "9360feb5-f418-4baa-8175-e2a00bac4301", name: "Directory Writers" },
  directoryReaders: { id: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", name: "Directory Readers" },
  globalReader: { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader" },
  licenseAdministrator: { id: "4d6ac14f-3453-41d0-bef9-a3e0c569773a", name: "License Administrator" },
  serviceSupportAdministrator: {
    id: "f023fd81-a637-4b56-95fd-791ac0226033",
    name: "Service Support Administrator",
  },
  privilegedRoleAdministrator: {
    id: "e8611ab8-c189-46e8-94e1-60213ab1f814",
    name: "Privileged Role Administrator",
  },
  privilegedAuthenticationAdministrator: {
    id: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    name: "Privileged Authentication Administrator",
  },
  cloudApplicationAdministrator: {
    id: "158c047a-c907-4556-b7ef-446551a6b5f7",
    name: "Cloud Application Administrator",
  },
  applicationAdministrator: { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", name: "Application Administrator" },
  exchangeAdministrator: { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" },
  securityAdministrator: { id: "194ae4cb-b126-40b2-bd5b-6091b380977d", name: "Security Administrator" },
} as const;

/** One of {@link ENTRA_ROLES}. */
export type EntraRole = (typeof ENTRA_ROLES)[keyof typeof ENTRA_ROLES];
