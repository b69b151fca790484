import type { TokenProvider } from "../../auth/tokenProvider";
import type { Policy } from "../pipeline";

/**
 * Adds `Authorization: Bearer <token>` for the call's {@link AuthTarget} (default app-only in the
 * partner tenant). Runs inside the retry loop, so a long backoff never sends an expired token.
 * A 401 answered to a token we had cached is retried once with a freshly acquired token (the
 * token may have been revoked, or the issuer's clock is ahead of ours): a 401 means the request
 * was not processed, so this is safe for any method.
 */
export function bearerAuthPolicy(tokens: TokenProvider): Policy {
  return {
    name: "bearerAuth",
    async send(request, next) {
      if (request.service === "identity" || request.auth === undefined) return next(request);
      const target = { service: request.service, mode: request.auth.mode, tenantId: request.auth.tenantId };
      const options = request.signal ? { signal: request.signal } : {};
      request.headers["authorization"] = `Bearer ${await tokens.getToken(target, options)}`;
      const response = await next(request);
      if (response.status !== 401) return response;
      const fresh = await tokens.getToken(target, { ...options, forceRefresh: true });
      return next({ ...request, headers: { ...request.headers, authorization: `Bearer ${fresh}` } });
    },
  };
}
