import { type ServiceHandler, type ServiceShape, serviceRoute } from "../common/serviceRoute";
import type { Route } from "../common/types";
import { AadError, aadErrorResponse } from "./aadError";

/**
 * Who may call a sign-in endpoint: `none`, for every one of them. They take no bearer token (they
 * issue them); the token endpoint authenticates the client itself, in the order each grant checks
 * its parameters (clientAuthentication.ts), and the authorize endpoints play the signed-in user.
 */
export type LoginAuth = "none";

/**
 * The sign-in route shape: no caller to verify, then the handler; a thrown {@link AadError} (listed
 * in loginErrors.ts) becomes the Entra ID error body.
 */
const loginShape: ServiceShape<LoginAuth, undefined> = {
  authorize: () => undefined,
  errorAnswer: (e, req, emu) => (e instanceof AadError ? aadErrorResponse(req, emu.now(), e) : undefined),
};

/** A sign-in route: its (empty) auth and its handler. */
export function loginRoute(
  method: Route["method"],
  path: string,
  auth: LoginAuth,
  handler: ServiceHandler<undefined>,
): Route {
  return serviceRoute(loginShape, method, path, auth, handler);
}
