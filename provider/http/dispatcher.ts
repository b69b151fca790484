import { createSecureContext, rootCertificates } from "node:tls";
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici";

export interface DispatcherOptions {
  /** Extra trusted CA certificates (PEM), added to Node's default roots (emulator CA, corporate CA). */
  caCertPem?: string;
  /** Proxy for https traffic (`HTTPS_PROXY`). */
  proxyUrl?: string;
  /** Hosts that bypass the proxy (`NO_PROXY` syntax). */
  noProxy?: string;
}

/**
 * The one network seam: an undici Agent trusting the extra CA, or, with a proxy configured, an
 * `EnvHttpProxyAgent` that sends traffic through it except for `NO_PROXY` hosts. Every API call
 * and every msal token request goes through the dispatcher returned here (or one injected by a
 * test). Idle sockets do not keep the process alive.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  // One TLS context for every connection: given only `ca`, tls.connect would parse Node's ~150
  // root certificates plus the extra CA again for each new connection (tens of ms of CPU each).
  const tls = options.caCertPem
    ? { secureContext: createSecureContext({ ca: [...rootCertificates, options.caCertPem] }) }
    : {};
  if (options.proxyUrl) {
    return new EnvHttpProxyAgent({
      httpsProxy: options.proxyUrl,
      httpProxy: options.proxyUrl,
      noProxy: options.noProxy ?? "",
      connect: tls,
      requestTls: tls,
    });
  }
  return new Agent({ connect: tls });
}
