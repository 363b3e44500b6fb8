/**
 * Connection settings for a tenant, read from stack config (namespace `m365-smtp-auth`), and the
 * @azure/identity credential they describe. Secrets (a client secret, a certificate's PEM) come from
 * Pulumi secret config; they are handed to @azure/identity and never copied into errors, state or logs.
 */
import type { TokenCredential } from "@azure/identity";
import { DEFAULT_RETRY, type RetryOptions } from "./http.ts";

export const CONFIG_NAMESPACE = "m365-smtp-auth";

export const MICROSOFT_ENDPOINTS = {
  authorityHost: "https://login.microsoftonline.com",
  graphUrl: "https://graph.microsoft.com",
  exchangeUrl: "https://outlook.office365.com",
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
  const url = (k: "authorityHost" | "graphUrl" | "exchangeUrl") => {
    const value = (get(k) ?? MICROSOFT_ENDPOINTS[k]).replace(/\/+$/, "");
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
    // Instance discovery asks login.microsoftonline.com about the authority; a sandbox or sovereign
    // cloud authority is trusted as configured instead.
    disableInstanceDiscovery: settings.authorityHost !== MICROSOFT_ENDPOINTS.authorityHost,
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

/** Scopes for client-credentials tokens; the audiences are Microsoft's whatever the base URLs are. */
export const SCOPES = {
  graph: "https://graph.microsoft.com/.default",
  exchange: "https://outlook.office365.com/.default",
} as const;
