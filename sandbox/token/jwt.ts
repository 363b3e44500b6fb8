/**
 * Compact JWS (RS256 / PS256) with node:crypto: enough for the sandbox's access tokens and for the
 * client assertions @azure/identity (MSAL) signs. No dependencies.
 */
import { constants, createHash, createSign, createVerify, type KeyObject } from "node:crypto";

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
  "x5t#S256"?: string;
  x5c?: string[];
  [k: string]: unknown;
}

export type JwtPayload = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Signs `payload` with RS256. */
export function signJwt(payload: JwtPayload, key: KeyObject, header: Partial<JwtHeader> = {}): string {
  const h = { typ: "JWT", ...header, alg: "RS256" };
  const input = `${base64url(JSON.stringify(h))}.${base64url(JSON.stringify(payload))}`;
  const sig = createSign("RSA-SHA256").update(input).sign(key);
  return `${input}.${base64url(sig)}`;
}

/** Splits and parses a compact JWT; returns null when it is not one (no signature check). */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as unknown;
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as unknown;
    if (!isObject(header) || !isObject(payload) || typeof header.alg !== "string") return null;
    return { header: header as JwtHeader, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
  } catch {
    return null;
  }
}

/** Verifies the signature of a decoded JWT with RS256 or PS256; other algorithms fail. */
export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  try {
    if (jwt.header.alg === "RS256") {
      return createVerify("RSA-SHA256").update(jwt.signingInput).verify(key, jwt.signature);
    }
    if (jwt.header.alg === "PS256") {
      return createVerify("RSA-SHA256")
        .update(jwt.signingInput)
        .verify(
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          jwt.signature,
        );
    }
    return false;
  } catch {
    return false;
  }
}

/** SHA-1 and SHA-256 thumbprints of a DER certificate, base64url-encoded as in x5t / x5t#S256. */
export function thumbprints(der: Buffer): { x5t: string; x5tS256: string; sha1Hex: string } {
  const sha1 = createHash("sha1").update(der).digest();
  return {
    x5t: base64url(sha1),
    x5tS256: base64url(createHash("sha256").update(der).digest()),
    sha1Hex: sha1.toString("hex").toUpperCase(),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
