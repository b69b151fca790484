import "./reflectPolyfill";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface TestCa {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

function pem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${label}-----\n`;
}

/** A throwaway CA and a server certificate for 127.0.0.1 it signed (ECDSA P-256). */
export async function createTestCa(): Promise<TestCa> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const subtle = webcrypto.subtle;
  const caKeys = (await subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=pulumi-csp unit test CA",
    keys: caKeys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["keys"],
    signingAlgorithm: alg,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 24 * 3600_000),
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const keys = (await subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=127.0.0.1",
    issuer: ca.subject,
    publicKey: keys.publicKey as unknown as Parameters<
      typeof x509.X509CertificateGenerator.create
    >[0]["publicKey"],
    signingKey: caKeys.privateKey as unknown as Parameters<
      typeof x509.X509CertificateGenerator.create
    >[0]["signingKey"],
    signingAlgorithm: alg,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 24 * 3600_000),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ]),
    ],
  });
  return {
    caCertPem: ca.toString("pem"),
    certPem: cert.toString("pem"),
    keyPem: pem(await subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"),
  };
}

/** A self-signed RSA certificate + key in one PEM, as an app's client certificate file would hold them. */
export async function createRsaClientCertificatePem(): Promise<string> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = {
    name: "RSASSA-PKCS1-v1_5",
    hash: "SHA-256",
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=pulumi-csp test app",
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["keys"],
    signingAlgorithm: alg,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 24 * 3600_000),
  });
  return (
    pem(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY") + cert.toString("pem")
  );
}
