/**
 * The provider implementation that the serialized shims (shim.ts) load at call time from the
 * program's directory. Because it is loaded fresh by each provider process, refresh and delete run
 * the code of the current checkout, not the code that was serialized into the state.
 *
 * One process serves every resource kind; it keeps one tenant connection per configuration.
 */
import type { dynamic } from "@pulumi/pulumi";
import { connectTenant } from "../tenant/connect.ts";
import { CONFIG_NAMESPACE, readConnectionSettings } from "../tenant/connection.ts";
import { KIND_PROVIDERS, createProviderContext, type ProviderContext } from "./resources.ts";
import { RESOURCE_KINDS, type ResourceKind } from "./types.ts";

let context: Promise<ProviderContext> | undefined;

/** configure(): called by the engine with the stack's config before any other method. */
function configure(req: dynamic.ConfigureRequest): void {
  const settings = readConnectionSettings((key) => req.config.get(`${CONFIG_NAMESPACE}:${key}`));
  context = connectTenant(settings).then((api) => createProviderContext(api, settings.onDelete));
  // Keep an unhandled rejection from killing the process before a method reports the error.
  context.catch(() => undefined);
}

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;
type Method = (typeof METHODS)[number];

/**
 * The provider object the dynamic-provider host asks for: each method is a call to {@link dispatch}.
 * The state's `__provider` module (see shim.ts) is just `require(<this file>).providerFor(kind)`.
 */
export function providerFor(kind: string): dynamic.ResourceProvider {
  const call = (method: string, args: unknown[]) => dispatch(kind, method, args) as Promise<never>;
  return {
    configure: (req) => call("configure", [req]),
    check: (olds, news) => call("check", [olds, news]),
    diff: (id, olds, news) => call("diff", [id, olds, news]),
    create: (inputs) => call("create", [inputs]),
    read: (id, props) => call("read", [id, props]),
    update: (id, olds, news) => call("update", [id, olds, news]),
    delete: (id, props) => call("delete", [id, props]),
  };
}

/**
 * Runs `method` of resource kind `kind`. Arguments are those the engine passed to the shim.
 * Errors keep their message (credential-free by construction) and gain the kind for context.
 */
export async function dispatch(kind: string, method: string, args: unknown[]): Promise<unknown> {
  if (method === "configure") {
    configure(args[0] as dynamic.ConfigureRequest);
    return undefined;
  }
  if (!RESOURCE_KINDS.includes(kind as ResourceKind)) throw new Error(`unknown resource kind ${kind}`);
  if (!METHODS.includes(method as Method)) throw new Error(`unknown provider method ${method}`);
  const provider = KIND_PROVIDERS[kind as ResourceKind];
  if (method === "diff") {
    const [, olds, news] = args;
    return provider.diff(olds, news);
  }
  if (!context) throw new Error("the provider was not configured: stack config is missing");
  const ctx = await context;
  switch (method as Exclude<Method, "diff">) {
    case "check":
      return provider.check(ctx, args[0] as object, args[1]);
    case "create":
      return provider.create(ctx, args[0]);
    case "read":
      return provider.read(ctx, args[0] as string, args[1]);
    case "update":
      return provider.update(ctx, args[0] as string, args[1], args[2]);
    case "delete":
      return provider.delete(ctx, args[0] as string, args[1]);
  }
}
