/**
 * The token service's signing key: RSA 2048, generated at start or loaded from the state dir so
 * tokens issued before a restart stay valid. Published as a JWKS.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM, for persistence. */
  privateKeyPem: string;
}

/** Creates a signing key, or loads it from `pem` when given. */
export function createSigningKey(pem?: string): SigningKey {
  const privateKeyPem =
    pem ??
    generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  const kid = createHash("sha256").update(der).digest("base64url").slice(0, 27);
  return { kid, privateKey, publicKey, privateKeyPem };
}

/** The JWKS document for `/{tenant}/discovery/v2.0/keys`. */
export function jwks(key: SigningKey): { keys: unknown[] } {
  const jwk = key.publicKey.export({ format: "jwk" });
  return { keys: [{ kty: "RSA", use: "sig", kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e }] };
}
