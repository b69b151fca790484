import {
  addApplicationPassword,
  type GraphApplication,
  type GraphPasswordCredential,
  getApplication,
  removeApplicationPassword,
} from "../../clients/graph/applications";
import { isCspError, isLostResponse } from "../../errors";
import type { AuthTarget, ServiceClient } from "../../http/types";
import { stripUndefined } from "../common";
import type { HandlerContext } from "../types";
import type {
  ApplicationRegistrationInputs,
  ApplicationRegistrationOutputs,
} from "./applicationRegistration";

/**
 * The client-secret lifecycle of an ApplicationRegistration: adding a password credential safely
 * after lost answers, removing orphan and stray secrets, and keeping, rotating or removing the
 * secret as declared (rotation only when `rotationKey` changes).
 */

/** Display name of the secret when `passwordCredential.displayName` is not set. */
export const DEFAULT_CREDENTIAL_NAME = "pulumi-csp";

/**
 * Adds a password credential. After a lost answer the secret is unknown: credentials that appeared
 * since (with our display name) are removed and the add is tried once more, so no unknown secret
 * is left behind. A timed-out request, though, may still be in flight and add its credential
 * after that look: then nothing is added again, the error reaches the engine (a partial create,
 * or a failed update) and the next run adds the secret and removes the strays
 * ({@link removeStrayCredentials}).
 */
export async function addPasswordSafely(
  graph: ServiceClient,
  auth: AuthTarget,
  appId: string,
  displayName: string,
): Promise<GraphPasswordCredential> {
  const before = new Set(
    ((await getApplication(graph, auth, appId))?.passwordCredentials ?? []).map((c) => c.keyId),
  );
  for (let attempt = 0; ; attempt++) {
    try {
      return await addApplicationPassword(graph, auth, appId, { displayName });
    } catch (e) {
      if (!isLostResponse(e) || attempt > 0) throw e;
      if (isCspError(e) && e.code === "CSP_TIMEOUT") throw e;
      const now = await getApplication(graph, auth, appId);
      for (const c of now?.passwordCredentials ?? []) {
        if (!before.has(c.keyId) && (c.displayName ?? "") === displayName) {
          await removeApplicationPassword(graph, auth, appId, c.keyId);
        }
      }
    }
  }
}

/** When adopting an application, secrets left by the lost run carry our name but are unknown: remove them. */
export async function removeOrphanCredentials(
  graph: ServiceClient,
  auth: AuthTarget,
  app: GraphApplication,
  displayName: string,
  ctx: HandlerContext,
): Promise<void> {
  const current = (await getApplication(graph, auth, app.id))?.passwordCredentials ?? [];
  for (const c of current) {
    if ((c.displayName ?? "") === displayName) {
      ctx.log(
        `removing client secret ${c.keyId} of the adopted application: its value is unknown to this stack`,
      );
      await removeApplicationPassword(graph, auth, app.id, c.keyId);
    }
  }
}

export function withCredential(
  outs: ApplicationRegistrationOutputs,
  cred: GraphPasswordCredential,
): ApplicationRegistrationOutputs {
  return stripUndefined({
    ...outs,
    clientSecret: cred.secretText,
    clientSecretKeyId: cred.keyId,
    clientSecretHint: cred.hint ?? undefined,
    clientSecretEndDateTime: cred.endDateTime,
  });
}

export function withoutCredential(outs: ApplicationRegistrationOutputs): ApplicationRegistrationOutputs {
  const {
    clientSecret: _s,
    clientSecretKeyId: _k,
    clientSecretHint: _h,
    clientSecretEndDateTime: _e,
    ...rest
  } = outs;
  return rest;
}

/** Adds, keeps, rotates or removes the client secret as declared. */
export async function reconcileCredential(
  graph: ServiceClient,
  auth: AuthTarget,
  id: string,
  olds: ApplicationRegistrationInputs & ApplicationRegistrationOutputs,
  news: ApplicationRegistrationInputs,
  outs: ApplicationRegistrationOutputs,
): Promise<ApplicationRegistrationOutputs> {
  const hadSecret = olds.clientSecretKeyId !== undefined && olds.passwordCredential !== undefined;
  const wants = news.passwordCredential;
  if (!wants) {
    if (hadSecret) await removeApplicationPassword(graph, auth, id, olds.clientSecretKeyId!);
    return withoutCredential(outs);
  }
  const rotate = !hadSecret || (olds.passwordCredential?.rotationKey ?? "") !== (wants.rotationKey ?? "");
  if (!rotate) {
    return stripUndefined({
      ...outs,
      clientSecret: olds.clientSecret,
      clientSecretKeyId: olds.clientSecretKeyId,
      clientSecretHint: olds.clientSecretHint,
      clientSecretEndDateTime: olds.clientSecretEndDateTime,
    });
  }
  const name = wants.displayName ?? DEFAULT_CREDENTIAL_NAME;
  const cred = await addPasswordSafely(graph, auth, id, name);
  // New secret first, then the old one goes: no moment without a valid secret.
  if (hadSecret) await removeApplicationPassword(graph, auth, id, olds.clientSecretKeyId!);
  await removeStrayCredentials(graph, auth, id, name, cred.keyId);
  return withCredential(outs, cred);
}

/**
 * Removes credentials with this resource's display name other than `keep`: secrets whose value
 * nobody holds, added by an earlier request whose answer was lost (e.g. one still in flight when
 * the client gave up).
 */
async function removeStrayCredentials(
  graph: ServiceClient,
  auth: AuthTarget,
  appId: string,
  displayName: string,
  keep: string,
): Promise<void> {
  const current = (await getApplication(graph, auth, appId))?.passwordCredentials ?? [];
  for (const c of current) {
    if (c.keyId !== keep && (c.displayName ?? "") === displayName) {
      await removeApplicationPassword(graph, auth, appId, c.keyId);
    }
  }
}
