/**
 * Published payloads 19–24 of the wire-format reference (`vectors/`), copied verbatim so that the
 * tests run without the reference folder. Sources: Microsoft Graph docs (19–22), azure-rest-api-specs
 * example (23), Azure docs MPA alias request (24); see the vectors INDEX.
 */

/** `19-graph-gdap-relationship-create-request.json` */
export const GDAP_CREATE_REQUEST_19: Record<string, unknown> = {
  displayName: "Contoso admin relationship",
  duration: "P730D",
  customer: {
    tenantId: "4b827261-d21f-4aa9-b7db-7fa1f56fb163",
    displayName: "Contoso subsidiary Inc",
  },
  accessDetails: {
    unifiedRoles: [
      {
        roleDefinitionId: "29232cdf-9323-42fd-ade2-1d097af3e4de",
      },
      {
        roleDefinitionId: "3a2c62db-5318-420d-8d74-23affee5d9d5",
      },
    ],
  },
  autoExtendDuration: "P180D",
};

/** `20-graph-gdap-relationship-create-response.json` */
export const GDAP_CREATE_RESPONSE_20: Record<string, unknown> = {
  "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
  "@odata.context":
    "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships",
  "@odata.etag": 'W/"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw=="',
  id: "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
  displayName: "Contoso admin relationship",
  duration: "P730D",
  customer: {
    tenantId: "4b827261-d21f-4aa9-b7db-7fa1f56fb163",
    displayName: "Contoso subsidiary Inc",
  },
  accessDetails: {
    unifiedRoles: [
      {
        roleDefinitionId: "29232cdf-9323-42fd-ade2-1d097af3e4de",
      },
      {
        roleDefinitionId: "3a2c62db-5318-420d-8d74-23affee5d9d5",
      },
    ],
  },
  status: "created",
  autoExtendDuration: "P180D",
  createdDateTime: "2022-02-10T11:24:42.3148266Z",
  lastModifiedDateTime: "2022-02-10T11:24:42.3148266Z",
  activatedDateTime: "",
  endDateTime: "2024-02-10T11:24:42.3148266Z",
};

/** `21-graph-gdap-accessassignment-create-response.json` */
export const GDAP_ASSIGNMENT_RESPONSE_21: Record<string, unknown> = {
  "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#accessAssignments",
  "@odata.etag": 'W/"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw=="',
  id: "a9d6cf90-083a-47dc-ace2-1da98be3f344",
  status: "pending",
  createdDateTime: "2022-02-13T10:33:52.3182097Z",
  lastModifiedDateTime: "2022-02-13T10:33:52.3182097Z",
  accessContainer: {
    accessContainerId: "869713c9-0b28-4d08-8949-ae07ae1bf528",
    accessContainerType: "securityGroup",
  },
  accessDetails: {
    unifiedRoles: [
      {
        roleDefinitionId: "29232cdf-9323-42fd-ade2-1d097af3e4de",
      },
      {
        roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
      },
      {
        roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
      },
      {
        roleDefinitionId: "3a2c62db-5318-420d-8d74-23affee5d9d5",
      },
    ],
  },
};

/** `22-graph-error-example.json` */
export const GRAPH_ERROR_22: Record<string, unknown> = {
  error: {
    code: "invalidRange",
    message: "Uploaded fragment overlaps with existing data.",
    innerError: {
      "request-id": "request-id",
      date: "date-time",
    },
  },
};

/** `23-arm-roleassignment-create-for-subscription.example.json` */
export const ARM_ROLE_ASSIGNMENT_EXAMPLE_23: Record<string, unknown> = {
  parameters: {
    scope: "subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2",
    roleAssignmentName: "05c5a614-a7d6-4502-b150-c2fb455033ff",
    "api-version": "2022-04-01",
    parameters: {
      properties: {
        roleDefinitionId:
          "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d",
        principalId: "ce2ce14e-85d7-4629-bdbc-454d0519d987",
        principalType: "User",
      },
    },
  },
  responses: {
    "201": {
      body: {
        properties: {
          roleDefinitionId:
            "/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d",
          principalId: "ce2ce14e-85d7-4629-bdbc-454d0519d987",
          principalType: "User",
          scope: "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2",
        },
        id: "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff",
        type: "Microsoft.Authorization/roleAssignments",
        name: "05c5a614-a7d6-4502-b150-c2fb455033ff",
      },
    },
    "200": {
      body: {
        properties: {
          roleDefinitionId:
            "/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d",
          principalId: "ce2ce14e-85d7-4629-bdbc-454d0519d987",
          principalType: "User",
          scope: "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2",
        },
        id: "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff",
        type: "Microsoft.Authorization/roleAssignments",
        name: "05c5a614-a7d6-4502-b150-c2fb455033ff",
      },
    },
  },
};

/** `24-arm-subscription-alias-create-mpa-request.json` */
export const ARM_ALIAS_REQUEST_24: Record<string, unknown> = {
  properties: {
    billingScope:
      "/providers/Microsoft.Billing/billingAccounts/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx_xxxx-xx-xx/customers/2281f543-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    DisplayName: "Dev Team subscription",
    Workload: "Production",
  },
};
