/**
 * Connection settings for a tenant, read from stack config (namespace `m365-smtp-auth`), and the
 * @azure/identity credential they describe. Secrets (a client secret, a certificate's PEM) come from
 * Pulumi secret config; they are handed to @azure/identity and never copied into errors, state or logs.
 */
import type { TokenCredential } from "@azure/identity";
import { CLOUD_NAMES, CLOUDS, isMicrosoftAuthority, scopeFor, scopeForEndpoint, type CloudName } from "./clouds.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./http.ts";

export const CONFIG_NAMESPACE = "m365-smtp-auth";

/** The global cloud's endpoints (see tenant/clouds.ts for the others). */
export const MICROSOFT_ENDPOINTS = {
  authorityHost: CLOUDS.global.authorityHost,
  graphUrl: CLOUDS.global.graphUrl,
  exchangeUrl: CLOUDS.global.exchangeUrl,
} as const;

export type CredentialKind = "clientSecret" | "certificate" | "workloadIdentity" | "default";

/** How one app registration signs in. */
export interface SignInIdentity {
  clientId: string | undefined;
  credential: CredentialKind;
  clientSecret: string | undefined;
  /** PEM holding the certificate and its private key, or a path to such a file. */
  clientCertificate: string | undefined;
  clientCertificatePath: string | undefined;
}

/** The write app's identity (the top-level fields), and optionally a read-only app's. */
export interface ConnectionSettings extends SignInIdentity {
  tenantId: string;
  /** A read-only app (stack config readClientId, readCredential, readClientSecret …) used for every read. */
  reader?: SignInIdentity;
  /** With a reader: why the write app cannot sign in (thrown at the first write, never at a read). */
  writeProblem?: ConnectionConfigError;
  /** Microsoft cloud: sets the three endpoints below unless they are given explicitly. */
  cloud: CloudName;
  authorityHost: string;
  graphUrl: string;
  exchangeUrl: string;
  /** What delete does with a setting this stack changed: put the recorded prior value back, or leave it. */
  onDelete: "restore" | "leave";
  /** Retry policy for 429/503/504 and dropped connections (config maxAttempts, retryBudgetSeconds). */
  retry: RetryOptions;
}

/** A configuration problem, naming the stack config key. Never carries a secret value. */
export class ConnectionConfigError extends Error {
  override name = "ConnectionConfigError";
  readonly code = "CONFIG_INVALID";
  /**
   * @param key the bare config key at fault ("tenantId"), for callers that name their own flag
   * @param problem whether the key is missing or has a value that is not allowed
   */
  readonly key: string;
  readonly problem: "missing" | "invalid";
  constructor(key: string, problem: "missing" | "invalid", message: string) {
    super(message);
    this.key = key;
    this.problem = problem;
  }
}

/**
 * Builds settings from a config lookup that takes bare keys ("tenantId") and returns the plain value.
 * Throws ConnectionConfigError naming the missing or invalid key.
 */
export function readConnectionSettings(get: (key: string) => string | undefined): ConnectionSettings {
  const key = (k: string) => `${CONFIG_NAMESPACE}:${k}`;
  const tenantId = get("tenantId");
  if (!tenantId) {
    throw new ConnectionConfigError(
      "tenantId",
      "missing",
      `stack config ${key("tenantId")} is not set (the tenant's id or primary domain)`,
    );
  }
  // Issue 16.5: a second, read-only app (readClientId …) signs in for every read; the write app is
  // then needed only by a write, so a preview or drift check runs without the write app's secret.
  const reader = get("readClientId") !== undefined ? identityFrom(get, "read") : undefined;
  let writer: SignInIdentity;
  let writeProblem: ConnectionConfigError | undefined;
  try {
    writer = identityFrom(get, "");
  } catch (err) {
    if (!(reader && err instanceof ConnectionConfigError)) throw err;
    writeProblem = err;
    writer = {
      clientId: get("clientId"),
      credential: "default",
      clientSecret: undefined,
      clientCertificate: undefined,
      clientCertificatePath: undefined,
    };
  }
  const onDelete = get("onDelete") ?? "restore";
  if (onDelete !== "restore" && onDelete !== "leave") {
    throw new ConnectionConfigError("onDelete", "invalid", `stack config ${key("onDelete")} must be restore or leave`);
  }
  const cloud = (get("cloud") ?? "global") as CloudName;
  if (!CLOUD_NAMES.includes(cloud)) {
    throw new ConnectionConfigError(
      "cloud",
      "invalid",
      `stack config ${key("cloud")} must be one of ${CLOUD_NAMES.join(", ")}`,
    );
  }
  const url = (k: "authorityHost" | "graphUrl" | "exchangeUrl") => {
    const value = (get(k) ?? CLOUDS[cloud][k]).replace(/\/+$/, "");
    if (!value.startsWith("https://"))
      throw new ConnectionConfigError(k, "invalid", `stack config ${key(k)} must be an https URL`);
    return value;
  };
  const positive = (k: string, fallback: number) => {
    const raw = get(k);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      throw new ConnectionConfigError(k, "invalid", `stack config ${key(k)} must be a positive number`);
    return n;
  };
  const retry: RetryOptions = {
    ...DEFAULT_RETRY,
    maxAttempts: Math.floor(positive("maxAttempts", DEFAULT_RETRY.maxAttempts)),
    budgetMs: positive("retryBudgetSeconds", DEFAULT_RETRY.budgetMs / 1000) * 1000,
  };
  return {
    retry,
    tenantId,
    ...writer,
    ...(reader ? { reader } : {}),
    ...(writeProblem ? { writeProblem } : {}),
    cloud,
    authorityHost: url("authorityHost"),
    graphUrl: url("graphUrl"),
    exchangeUrl: url("exchangeUrl"),
    onDelete,
  };
}

/**
 * The sign-in identity under config keys with `prefix` ("" → clientId, credential, clientSecret …;
 * "read" → readClientId, readCredential, readClientSecret …). The credential kind is inferred from
 * what is set when not declared. Throws ConnectionConfigError naming the missing or invalid key.
 */
function identityFrom(get: (key: string) => string | undefined, prefix: "" | "read"): SignInIdentity {
  const name = (k: string) => (prefix ? `${prefix}${k[0]!.toUpperCase()}${k.slice(1)}` : k);
  const key = (k: string) => `${CONFIG_NAMESPACE}:${name(k)}`;
  const clientSecret = get(name("clientSecret"));
  const clientCertificate = get(name("clientCertificate"));
  const clientCertificatePath = get(name("clientCertificatePath"));
  const declared = get(name("credential"));
  const credential: CredentialKind =
    declared === undefined
      ? clientSecret
        ? "clientSecret"
        : clientCertificate || clientCertificatePath
          ? "certificate"
          : prefix === "read"
            ? "workloadIdentity"
            : "default"
      : (declared as CredentialKind);
  if (!["clientSecret", "certificate", "workloadIdentity", "default"].includes(credential)) {
    throw new ConnectionConfigError(
      name("credential"),
      "invalid",
      `stack config ${key("credential")} must be clientSecret, certificate, workloadIdentity or default`,
    );
  }
  const clientId = get(name("clientId"));
  if (credential !== "default" && !clientId) {
    throw new ConnectionConfigError(
      name("clientId"),
      "missing",
      `stack config ${key("clientId")} is not set (the app registration's client id)`,
    );
  }
  if (credential === "clientSecret" && !clientSecret) {
    throw new ConnectionConfigError(
      name("clientSecret"),
      "missing",
      `stack config ${key("clientSecret")} is not set: pipe it to 'pulumi config set --secret ${key("clientSecret")}'`,
    );
  }
  if (credential === "certificate" && !clientCertificate && !clientCertificatePath) {
    throw new ConnectionConfigError(
      name("clientCertificatePath"),
      "missing",
      `stack config ${key("clientCertificatePath")} or ${key("clientCertificate")} (secret) is not set`,
    );
  }
  return { clientId, credential, clientSecret, clientCertificate, clientCertificatePath };
}

/** The @azure/identity credential for the settings. Loaded lazily: @azure/identity is large. */
export async function createCredential(
  settings: SignInIdentity & Pick<ConnectionSettings, "tenantId" | "authorityHost">,
): Promise<TokenCredential> {
  const identity = await import("@azure/identity");
  const options = {
    authorityHost: settings.authorityHost,
    // Instance discovery asks login.microsoftonline.com about the authority; MSAL knows Microsoft's
    // clouds, and any other authority (the sandbox, a private cloud) is trusted as configured.
    disableInstanceDiscovery: !isMicrosoftAuthority(settings.authorityHost),
  };
  switch (settings.credential) {
    case "clientSecret":
      return new identity.ClientSecretCredential(
        settings.tenantId,
        settings.clientId!,
        settings.clientSecret!,
        options,
      );
    case "certificate":
      return settings.clientCertificate
        ? new identity.ClientCertificateCredential(
            settings.tenantId,
            settings.clientId!,
            { certificate: settings.clientCertificate },
            options,
          )
        : new identity.ClientCertificateCredential(
            settings.tenantId,
            settings.clientId!,
            { certificatePath: settings.clientCertificatePath! },
            options,
          );
    case "workloadIdentity":
      return new identity.WorkloadIdentityCredential({
        ...options,
        tenantId: settings.tenantId,
        clientId: settings.clientId!,
      });
    case "default":
      return new identity.DefaultAzureCredential({ ...options, tenantId: settings.tenantId });
  }
}

/** The global cloud's client-credentials scopes; for a connection use {@link scopesFor}. */
export const SCOPES = {
  graph: scopeFor(CLOUDS.global.graphUrl),
  exchange: scopeFor(CLOUDS.global.exchangeUrl),
} as const;

/**
 * The token scopes for a connection: the origin of its effective Graph and Exchange endpoints plus
 * `/.default`, so a national cloud (or an explicit Microsoft endpoint) gets tokens for its own
 * audience; an endpoint outside Microsoft's domains (the sandbox) gets its cloud's audience.
 */
export function scopesFor(settings: Pick<ConnectionSettings, "graphUrl" | "exchangeUrl" | "cloud">): {
  graph: string;
  exchange: string;
} {
  return {
    graph: scopeForEndpoint(settings.graphUrl, settings.cloud, "graphUrl"),
    exchange: scopeForEndpoint(settings.exchangeUrl, settings.cloud, "exchangeUrl"),
  };
}
