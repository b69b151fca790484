import { isObject, type JsonObject } from "../common/json";
import type { Route } from "../common/types";
import { collection } from "./collections";
import { requireCustomer } from "./customerAccess";
import { arrProp, requireBody, strProp } from "./jsonBody";
import { pcErrors } from "./pcErrors";
import { type PcContext, pcRoute } from "./pcRoute";
import { type OrderRecord, pcSections } from "./pcState";
import {
  checkPurchase,
  orderView,
  placeOrders,
  purchaseInput,
  readPurchaseItem,
  requirePartnerAttestation,
  resellerOfRecord,
} from "./purchases";

/**
 * Orders (vector 18): create directly, get ("Get an order by ID",
 * https://learn.microsoft.com/partner-center/developer/get-an-order-by-id), list ("Get all of a
 * customer's orders", https://learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders),
 * and the App+User-only provisioning status ("Get order provisioning status",
 * https://learn.microsoft.com/partner-center/developer/get-order-provisioning-status). A line item's `partnerIdOnRecord` names the indirect reseller of record
 * ("Create an order for a customer of an indirect reseller",
 * https://learn.microsoft.com/partner-center/developer/create-an-order-for-a-customer-of-an-indirect-reseller);
 * the order shows it on the line item.
 */
export const orderRoutes: Route[] = [
  pcRoute("POST", "/v1/customers/:customerId/orders", { auth: "appOrUser", rate: "order" }, (ctx) => {
    const customer = requireCustomer(ctx);
    const body = requireBody(ctx.req.body);
    requirePartnerAttestation(body);
    const raw = arrProp(body, "lineItems");
    if (!raw || raw.length === 0)
      throw pcErrors.invalidProperty("lineItems is required and must not be empty.");
    const billingCycle = strProp(body, "billingCycle");
    const items = raw.map((entry, index) => {
      if (!isObject(entry)) throw pcErrors.invalidProperty(`lineItems[${index}] must be an object.`);
      const number = typeof entry.lineItemNumber === "number" ? entry.lineItemNumber : index;
      if (number !== index)
        throw pcErrors.invalidProperty("Line Item number should be from 0 to number of line items count");
      const item = readPurchaseItem(purchaseInput(entry, "offerId"), index, billingCycle);
      const onRecord = strProp(entry, "partnerIdOnRecord");
      if (onRecord) item.partnerIdOnRecord = resellerOfRecord(ctx, onRecord);
      return item;
    });
    checkPurchase(ctx.emu, ctx.caller, customer, items);
    const [order] = placeOrders(ctx.emu, ctx.caller, customer, [items]);
    return { status: 201, body: orderView(order) };
  }),
  pcRoute("GET", "/v1/customers/:customerId/orders", { auth: "appOrUser", rate: "order" }, (ctx) => {
    const customer = requireCustomer(ctx);
    const items = Object.values(pcSections(ctx.emu.state).orders)
      .filter((o) => o.customerId === customer.id)
      .sort((a, b) => String(a.resource.creationDate).localeCompare(String(b.resource.creationDate)))
      .map(orderView);
    return { status: 200, body: collection(items, `/customers/${customer.id}/orders`) };
  }),
  pcRoute(
    "GET",
    "/v1/customers/:customerId/orders/:orderId",
    { auth: "appOrUser", rate: "order" },
    (ctx) => ({
      status: 200,
      body: orderView(requireOrder(ctx)),
    }),
  ),
  pcRoute(
    "GET",
    "/v1/customers/:customerId/orders/:orderId/provisioningstatus",
    { auth: "appUser", rate: "order" },
    (ctx) => {
      const order = requireOrder(ctx);
      const pending = order.provisionAt !== undefined;
      const items = (order.resource.lineItems as JsonObject[]).map((l) => ({
        orderLineItemId: l.lineItemNumber,
        lineItemNumber: l.lineItemNumber,
        status: pending ? "pending" : "fulfilled",
        quantityProvisioningInformation: [
          { quantity: l.quantity, status: pending ? "pending" : "fulfilled" },
        ],
      }));
      return { status: 200, body: collection(items) };
    },
  ),
];

function requireOrder(ctx: PcContext): OrderRecord {
  const customer = requireCustomer(ctx);
  const id = (ctx.req.params.orderId ?? "").toLowerCase();
  const order = pcSections(ctx.emu.state).orders[id];
  if (!order || order.customerId !== customer.id) throw pcErrors.orderNotFound(id);
  return order;
}
