import { rootCertificates } from "node:tls";
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
  const ca = options.caCertPem ? [...rootCertificates, options.caCertPem] : undefined;
  const tls = ca ? { ca } : {};
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
