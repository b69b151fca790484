import { clientCertificatePem, loadTlsMaterial } from "../../../emulator/common/tls";

/** TLS material for the unit tests' local HTTPS servers, from the emulator's own CA code. */
export interface TestCa {
  caCertPem: string;
  /** Server certificate for 127.0.0.1/localhost followed by the CA certificate. */
  certPem: string;
  keyPem: string;
}

/** A CA (kept in memory for this process) and a server certificate for 127.0.0.1 it signed. */
export async function createTestCa(): Promise<TestCa> {
  const tls = await loadTlsMaterial();
  return { caCertPem: tls.caCertPem, certPem: tls.certChainPem, keyPem: tls.keyPem };
}

/** A self-signed RSA certificate + key in one PEM, as an app's client certificate file would hold them. */
export function createRsaClientCertificatePem(): Promise<string> {
  return clientCertificatePem();
}
