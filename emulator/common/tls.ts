import { webcrypto } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";
import { ensureReflectMetadata } from "./reflectMetadata";

/** Host names and addresses the emulator's server certificate is valid for. */
export const SERVER_DNS_NAMES = [
  "localhost",
  "login.microsoftonline.com",
  "api.partnercenter.microsoft.com",
  "graph.microsoft.com",
  "management.azure.com",
];
export const SERVER_IP_ADDRESSES = ["127.0.0.1", "::1"];

/** The emulator's own certificate authority and the server certificate it issued. */
export interface TlsMaterial {
  /** PEM of the CA certificate clients must trust. */
  caCertPem: string;
  /** File holding `caCertPem` (inside the data directory, or a private temp directory). */
  caCertPath: string;
  /** Server certificate (PEM) followed by the CA certificate, for `https.createServer({ cert })`. */
  certChainPem: string;
  /** Server private key (PKCS#8 PEM). */
  keyPem: string;
}

const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const CA_FILE = "ca.pem";
const CA_KEY_FILE = "ca-key.pem";

/** DOM crypto types as @peculiar/x509 declares them (this package compiles without the DOM lib). */
type X509Crypto = ReturnType<typeof X509.cryptoProvider.get>;
type KeyPair = X509.X509CertificateCreateSelfSignedParams["keys"];

let x509: typeof X509;
/**
 * Loads @peculiar/x509 on first use, after installing the Reflect metadata API its dependency
 * tsyringe insists on, and points it at node's webcrypto.
 */
async function loadX509(): Promise<void> {
  if (x509) return;
  ensureReflectMetadata();
  x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function withNewline(pem: string): string {
  return pem.endsWith("\n") ? pem : `${pem}\n`;
}

function fromPem(pem: string): ArrayBuffer {
  const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const buf = Buffer.from(b64, "base64");
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

interface CaMaterial {
  cert: X509.X509Certificate;
  certPem: string;
  keys: KeyPair;
  keyPem: string;
}

async function createCa(): Promise<CaMaterial> {
  const keys = (await webcrypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as unknown as KeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=pulumi-csp emulator local CA, O=pulumi-csp",
    keys,
    signingAlgorithm: SIGNING,
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = toPem(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
  return { cert, certPem: withNewline(cert.toString("pem")), keys, keyPem };
}

async function loadCa(certPem: string, keyPem: string): Promise<CaMaterial> {
  const cert = new x509.X509Certificate(certPem);
  const privateKey = await webcrypto.subtle.importKey("pkcs8", fromPem(keyPem), ECDSA, true, ["sign"]);
  const publicKey = await cert.publicKey.export(ECDSA, ["verify"], webcrypto as unknown as X509Crypto);
  return { cert, certPem, keys: { privateKey, publicKey } as unknown as KeyPair, keyPem };
}

async function issueServerCert(ca: CaMaterial): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as unknown as KeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=127.0.0.1",
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
    notBefore: new Date(now - 24 * 3600_000),
    // Re-issued on every start, so a short life is fine (clients reject > 398 days anyway).
    notAfter: new Date(now + 365 * 24 * 3600_000),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...SERVER_DNS_NAMES.map((value) => ({ type: "dns" as const, value })),
        ...SERVER_IP_ADDRESSES.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  const keyPem = toPem(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
  return { certPem: withNewline(cert.toString("pem")), keyPem };
}

let memoryCa: Promise<{ ca: CaMaterial; caCertPath: string }> | undefined;

/**
 * Returns the emulator's TLS material. With a data directory the CA is generated once and kept
 * there (`ca.pem`, `ca-key.pem`), so clients configured with `NODE_EXTRA_CA_CERTS` keep trusting a
 * restarted emulator; without one, one CA per process is kept in memory and its certificate is
 * written to a private temp directory. The server certificate is issued fresh on every start.
 */
export async function loadTlsMaterial(dataDir?: string): Promise<TlsMaterial> {
  await loadX509();
  let ca: CaMaterial;
  let caCertPath: string;
  if (dataDir) {
    caCertPath = join(dataDir, CA_FILE);
    const keyPath = join(dataDir, CA_KEY_FILE);
    let existing: { cert: string; key: string } | undefined;
    try {
      existing = { cert: readFileSync(caCertPath, "utf8"), key: readFileSync(keyPath, "utf8") };
    } catch {
      existing = undefined;
    }
    if (existing) {
      ca = await loadCa(existing.cert, existing.key);
    } else {
      ca = await createCa();
      writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
      writeFileSync(caCertPath, ca.certPem);
    }
  } else {
    memoryCa ??= createCa().then((created) => {
      const dir = mkdtempSync(join(tmpdir(), "pulumi-csp-emulator-"));
      const path = join(dir, CA_FILE);
      writeFileSync(path, created.certPem);
      return { ca: created, caCertPath: path };
    });
    const held = await memoryCa;
    ca = held.ca;
    caCertPath = held.caCertPath;
  }
  const server = await issueServerCert(ca);
  return {
    caCertPem: ca.certPem,
    caCertPath,
    certChainPem: server.certPem + ca.certPem,
    keyPem: server.keyPem,
  };
}

let processClientCertificate: Promise<string> | undefined;

/**
 * A self-signed RSA client certificate (PEM: private key, then certificate) for certificate-based
 * client authentication (`client_assertion`). One per process; callers persist it where needed.
 */
export function clientCertificatePem(): Promise<string> {
  processClientCertificate ??= (async () => {
    await loadX509();
    const alg = {
      name: "RSASSA-PKCS1-v1_5",
      hash: "SHA-256",
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: 2048,
    };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as unknown as KeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: "CN=pulumi-csp emulator partner app",
      keys,
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      notBefore: new Date(now - 24 * 3600_000),
      notAfter: new Date(now + 2 * 365 * 24 * 3600_000),
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
    const keyPem = toPem(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY");
    return keyPem + withNewline(cert.toString("pem"));
  })();
  return processClientCertificate;
}
