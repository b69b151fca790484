import type { EmulatorCore, EmuRequest, EmuResponse, Route } from "./types";

/**
 * An error a route handler throws: the route of its API answers it in that API's error envelope
 * (ARM `{error:{code,message}}`, Graph `{error:{code,message,innerError}}`, Partner Center
 * `{code,description,data,source}` with a numeric code, Entra ID's `{error,error_description,…}`).
 * Each API lists the errors it answers in one catalogue (arm/armErrors.ts, graph/graphErrors.ts,
 * partnerCenter/pcErrors.ts, login/loginErrors.ts).
 */
export class ServiceError<Code extends string | number = string> extends Error {
  constructor(
    readonly status: number,
    readonly code: Code,
    message: string,
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/**
 * What makes the routes of one emulated API alike: the checks before anything else (ARM's
 * `api-version`), who may call a route (the `auth` each route declares, verified here rather than
 * in each handler), and the API's error envelope.
 */
export interface ServiceShape<Auth, Caller> {
  /** Checks that come before the caller is verified; throws the API's error. */
  precheck?(req: EmuRequest): void;
  /** Verifies the caller a route's `auth` asks for; throws the API's error (401, 403). */
  authorize(req: EmuRequest, emu: EmulatorCore, auth: Auth): Caller;
  /** The answer to a thrown value when it is this API's error; `undefined` otherwise. */
  errorAnswer(error: unknown, req: EmuRequest, emu: EmulatorCore): EmuResponse | undefined;
}

/** A route handler, given the verified caller. */
export type ServiceHandler<Caller> = (req: EmuRequest, emu: EmulatorCore, caller: Caller) => EmuResponse;

/** A route of an API shaped by `shape`: precheck, the declared auth, the handler, the API's errors. */
export function serviceRoute<Auth, Caller>(
  shape: ServiceShape<Auth, Caller>,
  method: Route["method"],
  path: string,
  auth: Auth,
  handler: ServiceHandler<Caller>,
): Route {
  return {
    method,
    path,
    handler: (req, emu) => {
      try {
        shape.precheck?.(req);
        return handler(req, emu, shape.authorize(req, emu, auth));
      } catch (e) {
        const answer = shape.errorAnswer(e, req, emu);
        if (answer) return answer;
        throw e;
      }
    },
  };
}

/** A successful answer with an API's request-id headers (and any others given). */
export function okAnswer(
  idHeaders: Record<string, string>,
  status: number,
  body?: unknown,
  headers?: Record<string, string>,
): EmuResponse {
  const res: EmuResponse = { status, headers: { ...idHeaders, ...headers } };
  if (body !== undefined) res.body = body;
  return res;
}
