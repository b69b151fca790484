import { buyAzurePlan, confirmMca, createCustomer, type PcKit, str } from "./partnerCenterTestKit";

/** Setup the Partner Center commerce tests share. */

/** A customer with the MCA confirmed and an Azure plan bought; returns ids. */
export function customerWithPlan(kit: PcKit): {
  customerId: string;
  planId: string;
  orderId: string;
  azureSubId: string;
} {
  const customerId = createCustomer(kit);
  confirmMca(kit, customerId);
  const res = buyAzurePlan(kit, customerId);
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  const planId = str(res.body, "orders.0.lineItems.0.subscriptionId");
  const azureSubId = Object.values(kit.state.azure.subscriptions).find(
    (s) => s.planSubscriptionId === planId,
  )!.subscriptionId;
  return { customerId, planId, orderId: str(res.body, "orders.0.id"), azureSubId };
}
