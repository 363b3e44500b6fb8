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

export interface ConnectionSettings {
  tenantId: string;
  clientId: string | undefined;
  credential: CredentialKind;
  clientSecret: string | undefined;
  /** PEM holding the certificate and its private key, or a path to such a file. */
  clientCertificate: string | undefined;
  clientCertificatePath: string | undefined;
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
  const clientSecret = get("clientSecret");
  const clientCertificate = get("clientCertificate");
  const clientCertificatePath = get("clientCertificatePath");
  const declared = get("credential");
  const credential: CredentialKind =
    declared === undefined
      ? clientSecret
        ? "clientSecret"
        : clientCertificate || clientCertificatePath
          ? "certificate"
          : "default"
      : (declared as CredentialKind);
  if (!["clientSecret", "certificate", "workloadIdentity", "default"].includes(credential)) {
    throw new ConnectionConfigError(
      "credential",
      "invalid",
      `stack config ${key("credential")} must be clientSecret, certificate, workloadIdentity or default`,
    );
  }
  const clientId = get("clientId");
  if (credential !== "default" && !clientId) {
    throw new ConnectionConfigError(
      "clientId",
      "missing",
      `stack config ${key("clientId")} is not set (the app registration's client id)`,
    );
  }
  if (credential === "clientSecret" && !clientSecret) {
    throw new ConnectionConfigError(
      "clientSecret",
      "missing",
      `stack config ${key("clientSecret")} is not set: run 'pulumi config set --secret ${key("clientSecret")}'`,
    );
  }
  if (credential === "certificate" && !clientCertificate && !clientCertificatePath) {
    throw new ConnectionConfigError(
      "clientCertificatePath",
      "missing",
      `stack config ${key("clientCertificatePath")} or ${key("clientCertificate")} (secret) is not set`,
    );
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
    clientId,
    credential,
    clientSecret,
    clientCertificate,
    clientCertificatePath,
    cloud,
    authorityHost: url("authorityHost"),
    graphUrl: url("graphUrl"),
    exchangeUrl: url("exchangeUrl"),
    onDelete,
  };
}

/** The @azure/identity credential for the settings. Loaded lazily: @azure/identity is large. */
export async function createCredential(settings: ConnectionSettings): Promise<TokenCredential> {
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
