/**
 * Corporate proxies. Node's fetch ignores HTTPS_PROXY unless NODE_USE_ENV_PROXY=1 or --use-env-proxy
 * is given at start-up; `http.setGlobalProxyFromEnv()` (Node ≥ 24.14) turns the same built-in support
 * on at run time, for fetch and for node:http(s), honouring HTTPS_PROXY, HTTP_PROXY and NO_PROXY. The
 * token calls go through @azure/identity, whose HTTP pipeline (core-rest-pipeline's proxy policy)
 * reads the same variables itself.
 */
import http from "node:http";

const PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] as const;

let enabled: (() => void) | undefined;

/**
 * Routes this process's fetch calls through the proxy named by HTTPS_PROXY/HTTP_PROXY (NO_PROXY
 * honoured), when one is set and Node was not already started with its env-proxy switch. Idempotent;
 * returns true when a proxy is in use. The change is process-wide: the tenant clients are the only
 * fetch users of a provider or CLI process.
 */
export function useEnvProxy(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!PROXY_VARS.some((k) => env[k])) return false;
  if (env.NODE_USE_ENV_PROXY === "1" || process.execArgv.includes("--use-env-proxy")) return true;
  enabled ??= http.setGlobalProxyFromEnv(env);
  return true;
}

/**
 * Puts back the direct connection set before {@link useEnvProxy}.
 * @internal for tests, which change the proxy variables within one process.
 */
export function resetEnvProxy(): void {
  enabled?.();
  enabled = undefined;
}
