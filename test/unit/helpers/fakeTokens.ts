import type { TokenProvider, TokenRequest } from "../../../provider/auth/tokenProvider";

/** A token provider that hands out predictable fake tokens and records what was asked. */
export function fakeTokens(token = "test-access-token"): TokenProvider & { calls: TokenRequest[] } {
  const calls: TokenRequest[] = [];
  return {
    calls,
    async getToken(request) {
      calls.push(request);
      return `${token}-${request.service}-${request.mode}`;
    },
  };
}
