import type { ApiRequest, ServiceClient } from "../http/types";

/**
 * Sends a DELETE that finds the object already gone when the service answers 404: `true` when
 * this call deleted it, `false` when it was absent. A DELETE whose first answer was lost is
 * repeated by the pipeline and then meets 404, so a delete stays safe to retry.
 */
export async function deleteIfPresent(
  client: ServiceClient,
  request: Omit<ApiRequest, "method" | "okStatuses">,
): Promise<boolean> {
  const res = await client.send({ ...request, method: "DELETE", okStatuses: [404] });
  return res.status !== 404;
}
