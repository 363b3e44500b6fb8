/**
 * Throwaway PKI for the sandbox tenant: a CA generated at start and a server certificate it signs,
 * so that clients trust the sandbox explicitly (a `ca` option, or NODE_EXTRA_CA_CERTS for child
 * processes) and certificate checks stay on everywhere (STYLE.md guideline 6).
 *
 * Keys come from node:crypto (native, ~50 ms) and are converted to node-forge keys only to build
 * and sign the X.509 certificates; pure-JS RSA key generation in forge takes seconds.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

/** PEM material for one sandbox run. `keyPem` is the server certificate's private key (PKCS#8). */
export interface SandboxPki {
  /** The CA certificate clients must trust. */
  caPem: string;
  /** The server certificate (leaf only; the CA is not included). */
  certPem: string;
  /** The server certificate's private key. */
  keyPem: string;
}

const DEFAULT_HOSTS = ["127.0.0.1", "localhost"];
const HOUR_MS = 60 * 60 * 1000;
const VALID_FOR_MS = 7 * 24 * HOUR_MS;

// Generation costs two RSA key pairs; tests start many sandboxes in one process, so reuse per host list.
const cache = new Map<string, SandboxPki>();

/**
 * Returns a CA and a server certificate signed by it (RSA 2048, SHA-256) whose subjectAltName holds
 * each of `hosts` (IP addresses as iPAddress entries, names as dNSName entries), with the serverAuth
 * extended key usage, valid from an hour ago for seven days.
 *
 * The result is cached per host list for the life of the process; `{ fresh: true }` makes new keys
 * and leaves the cache alone. Never fails for valid input; throws if a host is empty.
 */
export function createPki(hosts: string[] = DEFAULT_HOSTS, options: { fresh?: boolean } = {}): SandboxPki {
  const key = [...hosts].sort().join(",");
  const cached = cache.get(key);
  if (cached && !options.fresh) return cached;
  for (const host of hosts) {
    if (host.trim() === "") throw new Error("[hosts] contains an empty host name");
  }

  const notBefore = new Date(Date.now() - HOUR_MS);
  const notAfter = new Date(notBefore.getTime() + VALID_FOR_MS);

  const caKeys = rsaKeyPair();
  const caName = [
    { name: "commonName", value: "m365-smtp-auth sandbox CA" },
    { name: "organizationName", value: "m365-smtp-auth sandbox (throwaway)" },
  ];
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = notAfter;
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = serverKeys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: "commonName", value: hosts[0] ?? "localhost" }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      // type 7 = iPAddress, type 2 = dNSName (RFC 5280 GeneralName)
      altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  const pki: SandboxPki = {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: serverKeys.privateKeyPem,
  };
  if (!options.fresh) cache.set(key, pki);
  return pki;
}

function rsaKeyPair(): {
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privateKeyPem: string;
} {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    privateKeyPem: privateKey,
  };
}

// Positive 16-byte serial (RFC 5280 allows up to 20 octets; a leading 0 nibble keeps it positive).
function serialNumber(): string {
  return "0" + randomBytes(16).toString("hex").slice(1);
}

/** Renew a persisted certificate when it has less than this left (issue 17 item 5). */
export const RENEW_WHEN_LEFT_MS = 2 * 24 * HOUR_MS;

/**
 * Returns the persisted PKI when both certificates are readable and valid for at least two more
 * days, or else a fresh one (createPki, new keys) with a one-line `renewed` reason for the log.
 * The CA is always renewed with the server certificate: its private key is never stored (so a
 * `.sandbox/` folder cannot be used to mint certificates for other hosts), and without it the old
 * CA cannot sign a new certificate. Clients that read `ca.pem` at start pick up the new CA.
 * Never throws for unreadable PEM: that, too, is a reason to renew.
 */
export function reusableOrRenewedPki(
  saved: SandboxPki | null,
  hosts: string[] = DEFAULT_HOSTS,
  now: Date = new Date(),
): { pki: SandboxPki; renewed: string | null } {
  if (!saved) return { pki: createPki(hosts, { fresh: true }), renewed: null };
  const problem = pkiProblem(saved, now);
  if (problem === null) return { pki: saved, renewed: null };
  return {
    pki: createPki(hosts, { fresh: true }),
    renewed: `${problem}; made a new CA and server certificate (the CA's key is never stored, so the CA is renewed too), valid until ${new Date(now.getTime() - HOUR_MS + VALID_FOR_MS).toISOString()}`,
  };
}

/** Why a persisted PKI cannot be reused, or null when it can. */
function pkiProblem(saved: SandboxPki, now: Date): string | null {
  for (const [name, pem] of [
    ["the CA certificate", saved.caPem],
    ["the server certificate", saved.certPem],
  ] as const) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return `${name} in the state folder is missing or unreadable`;
    }
    const left = new Date(cert.validTo).getTime() - now.getTime();
    if (left <= 0) return `${name} expired on ${new Date(cert.validTo).toISOString()}`;
    if (left < RENEW_WHEN_LEFT_MS) return `${name} expires on ${new Date(cert.validTo).toISOString()}`;
  }
  try {
    if (!new X509Certificate(saved.certPem).checkPrivateKey(createPrivateKey(saved.keyPem)))
      return "the server key in the state folder does not match its certificate";
  } catch {
    return "the server key in the state folder is missing or unreadable";
  }
  return null;
}
