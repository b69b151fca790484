import type { ServiceClient } from "../http/types";
import type { ProcessMemo } from "./processMemo";

/**
 * Everything a handler needs to talk to Microsoft for one partner account.
 * Built by `createCspApi` (HTTP core) from the resolved configuration.
 */
export interface CspApi {
  /** Name of the account these clients act for (`default` unless configured otherwise). */
  readonly account: string;
  /** Partner tenant id of the account. */
  readonly partnerTenantId: string;
  /** Client (application) id of the partner app. */
  readonly clientId: string;
  readonly partnerCenter: ServiceClient;
  readonly graph: ServiceClient;
  readonly arm: ServiceClient;
  /** What this process has already read for this account (see processMemo.ts). */
  readonly memo: ProcessMemo;
}
