/**
 * The provider implementation that the serialized shims (shim.ts) load at call time from the
 * program's directory. Because it is loaded fresh by each provider process, refresh and delete run
 * the code of the current checkout, not the code that was serialized into the state.
 *
 * One process serves every resource kind; it keeps one tenant connection per configuration.
 */
import { join } from "node:path";
import type { dynamic } from "@pulumi/pulumi";
import { homedir } from "node:os";
import { connectTenant } from "../tenant/connect.ts";
import { CONFIG_NAMESPACE, readConnectionSettings } from "../tenant/connection.ts";
import { createProviderContext, type KindProvider, type ProviderContext } from "./context.ts";
import { journalPath, openFileJournal, type PriorJournal } from "./journal.ts";
import { KIND_PROVIDERS } from "./kinds/index.ts";
import { RESOURCE_KINDS, type ResourceKind } from "./types.ts";

let context: Promise<ProviderContext> | undefined;
const journals = new Map<string, PriorJournal>();

/**
 * configure(): called by the engine with the stack's config before any other method. A bad config
 * never throws here (the host would print the error's stack frames): every method then reports it
 * as one line.
 */
function configure(req: dynamic.ConfigureRequest): void {
  let settings;
  try {
    settings = readConnectionSettings((key) => req.config.get(`${CONFIG_NAMESPACE}:${key}`));
  } catch (err) {
    context = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    context.catch(() => undefined);
    return;
  }
  // The write journal lives beside the local state, one file per tenant, for later commands' refreshes.
  const writes = join(process.cwd(), ".state", "exchange-writes", `${settings.tenantId.replace(/[^\w.-]/g, "_")}.json`);
  // Issue 17.1: the journal of prior values lives beside the state (journal.ts says where and why).
  // configure() runs once per kind in one process: every kind shares one journal per file.
  const file = journalPath({
    tenantId: settings.tenantId,
    configured: req.config.get(`${CONFIG_NAMESPACE}:priorJournal`),
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
  });
  context = connectTenant(settings).then((api) => {
    let journal = journals.get(file);
    if (!journal) journals.set(file, (journal = openFileJournal(file)));
    return createProviderContext(api, settings.onDelete, { file: writes }, journal);
  });
  // Keep an unhandled rejection from killing the process before a method reports the error.
  context.catch(() => undefined);
}

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** Any kind's provider, seen through the contract with its inputs and outputs erased at this boundary. */
type AnyKindProvider = KindProvider<object, object>;

/**
 * The provider object the dynamic-provider host asks for: each method is a call to {@link dispatch}.
 * The state's `__provider` module (see shim.ts) is just `require(<this file>).providerFor(kind)`.
 */
export function providerFor(kind: string): dynamic.ResourceProvider {
  return {
    configure: async (req) => configure(req),
    check: (olds: object, news: object) => oneLine(dispatch(kind, { method: "check", olds, news })),
    diff: (_id: string, olds: object, news: object) => oneLine(dispatch(kind, { method: "diff", olds, news })),
    create: (inputs: object) => oneLine(dispatch(kind, { method: "create", inputs })),
    read: (id: string, props: object) => oneLine(dispatch(kind, { method: "read", id, props })),
    update: (id: string, olds: object, news: object) => oneLine(dispatch(kind, { method: "update", id, olds, news })),
    delete: (id: string, props: object) => oneLine(dispatch(kind, { method: "delete", id, props })),
  } as dynamic.ResourceProvider;
}

/**
 * A provider failure as the user sees it: the dynamic-provider host reports an error's `stack`, so a
 * plain Error (a configuration problem, a thrown check) would show its frames. Keep the error, and
 * make its stack the one-line message (issue 17 item 8); ApiError does this itself.
 */
async function oneLine<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof Error) {
      const line = err.message.replace(/\s*\n\s*/gu, " ").trim();
      err.stack = `${err.name}: ${line}`;
    }
    throw err;
  }
}

/** One provider call as the engine makes it, by method. */
export type ProviderCall =
  | { method: "check"; olds: object; news: object }
  | { method: "diff"; olds: object; news: object }
  | { method: "create"; inputs: object }
  | { method: "read"; id: string; props: object }
  | { method: "update"; id: string; olds: object; news: object }
  | { method: "delete"; id: string; props: object };

/**
 * Runs one provider call for resource kind `kind` (a string from the state's shim, so checked here).
 * Errors keep their message (credential-free by construction).
 */
export async function dispatch(kind: string, call: ProviderCall): Promise<never> {
  if (!isResourceKind(kind)) throw new Error(`unknown resource kind ${kind}`);
  if (!METHODS.includes(call.method)) throw new Error(`unknown provider method ${String(call.method)}`);
  const provider: AnyKindProvider = KIND_PROVIDERS[kind];
  if (call.method === "diff") return provider.diff(call.olds, call.news) as never;
  if (!context) throw new Error("the provider was not configured: stack config is missing");
  const ctx = await context;
  switch (call.method) {
    case "check":
      return (await provider.check(ctx, call.olds, call.news)) as never;
    case "create":
      return (await provider.create(ctx, call.inputs)) as never;
    case "read":
      return (await provider.read(ctx, call.id, call.props)) as never;
    case "update":
      return (await provider.update(ctx, call.id, call.olds, call.news)) as never;
    case "delete":
      return (await provider.delete(ctx, call.id, call.props)) as never;
  }
}

function isResourceKind(kind: string): kind is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(kind);
}
