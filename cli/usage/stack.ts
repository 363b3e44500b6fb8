/**
 * `usage --stack NAME` in a pipeline: the tenant connection from the stack's committed
 * `Pulumi.<NAME>.yaml` (the same `m365-smtp-auth:*` keys the program reads), and its tenant.yaml.
 * Only plain values are read; a secret (`secure:`) is never decrypted here, so a stack that signs in
 * with a client secret must give it with --client-secret-env. In CI the stacks say
 * `credential: workloadIdentity`, and the OIDC wrapper scripts provide AZURE_FEDERATED_TOKEN_FILE.
 *
 * Failure semantics: a missing or unreadable stack file, or one without tenantId, is a UsageError
 * naming the file and key.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../tenant/connection.ts";
import { UsageError } from "../io.ts";

/** Connection values and tenant file of a stack, as `--flag` values for settingsFrom. */
export interface StackValues {
  values: Record<string, string>;
  tenantFile: string;
  /** `m365-smtp-auth:credential`, when set. */
  credential?: string;
}

const FLAGS: Record<string, string> = {
  tenantId: "tenant",
  clientId: "client-id",
  authorityHost: "authority-host",
  graphUrl: "graph-url",
  exchangeUrl: "exchange-url",
};

/** Reads `Pulumi.<stack>.yaml` in `dir` (default the working directory). */
export function stackValues(stack: string, dir = "."): StackValues {
  if (!/^[\w.-]+$/.test(stack)) throw new UsageError(`--stack '${stack}' is not a stack name`);
  const file = `${dir}/Pulumi.${stack}.yaml`;
  let config: Record<string, unknown>;
  try {
    const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    config = doc?.config ?? {};
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--stack ${stack}: cannot read ${file} (${code ?? (err as Error).message})`);
  }
  const get = (k: string) => {
    const v = config[`${CONFIG_NAMESPACE}:${k}`];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  if (get("tenantId") === undefined) throw new UsageError(`${file}: ${CONFIG_NAMESPACE}:tenantId is not set`);
  const values: Record<string, string> = {};
  for (const [key, flag] of Object.entries(FLAGS)) {
    const v = get(key);
    if (v !== undefined) values[flag] = v;
  }
  const credential = get("credential");
  return {
    values,
    tenantFile: get("tenantFile") ?? `stacks/${stack}/tenant.yaml`,
    ...(credential !== undefined ? { credential } : {}),
  };
}
