import { partnerCenterUser } from "../../auth/actingIdentity";
import type { ServiceClient } from "../../http/types";
import { listPartnerCenter } from "../paging";

/**
 * The indirect model's relationships: which indirect resellers the signed-in indirect provider
 * sells through.
 */

/** `PartnerRelationship` ("Relationships resources", https://learn.microsoft.com/partner-center/developer/relationships-resources). */
export interface PcPartnerRelationship {
  /** The other partner's tenant id. */
  id: string;
  name?: string;
  /** `is_indirect_cloud_solution_provider_of` in the published sample. */
  relationshipType?: string;
  /** `Active` in the published sample. */
  state?: string;
  /** The reseller's MPN id (PartnerID). */
  mpnId?: string;
  location?: string;
}

/**
 * `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf`: the signed-in
 * partner's indirect resellers ("Retrieve a list of indirect resellers",
 * https://learn.microsoft.com/partner-center/developer/retrieve-a-list-of-indirect-resellers).
 * App+User only.
 */
export async function listIndirectResellers(pc: ServiceClient): Promise<PcPartnerRelationship[]> {
  return listPartnerCenter<PcPartnerRelationship>(pc, {
    method: "GET",
    path: "/v1/relationships",
    query: { relationship_type: "IsIndirectCloudSolutionProviderOf" },
    auth: partnerCenterUser(),
  });
}
