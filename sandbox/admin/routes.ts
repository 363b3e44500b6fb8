/**
 * The admin endpoint (/_sandbox/…, admin-token protected): read and change tenant state out of band
 * (drift simulation), reset, read the request log, set faults, throttling and latency, mint tokens
 * for tests, read accepted SMTP messages. Not part of Microsoft 365.
 */
import type { TenantState, TenantUser } from "../model.ts";
import { stateProblem, statePatchProblem } from "./validate-state.ts";
import type { HandlerContext } from "../protocol/context.ts";
import { json, noContent } from "../protocol/context.ts";
import type { Route } from "../protocol/router.ts";
import { SandboxHttpError } from "../errors/http-error.ts";
import type { FaultRuleInput } from "../runtime/faults.ts";
import type { ThrottleBudgets } from "../runtime/throttle.ts";
import { RESOURCES } from "../token/service.ts";
import type { SandboxServices } from "../services.ts";
import { updateExchangeBehaviour } from "../exchange/behaviour.ts";

/** The services bag plus the running sandbox's public facts (for GET /_sandbox/info). */
export interface AdminDeps extends SandboxServices {
  info: () => Record<string, unknown>;
}

function adminError(status: number, message: string): SandboxHttpError {
  return new SandboxHttpError({
    status,
    code: "SandboxAdminError",
    message,
    body: { error: { code: "SandboxAdminError", message } },
  });
}

function obj(ctx: HandlerContext): Record<string, unknown> {
  const b = ctx.body;
  if (typeof b !== "object" || b === null || Array.isArray(b)) throw adminError(400, "The body must be a JSON object.");
  return b as Record<string, unknown>;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SandboxHttpError) throw e;
    throw adminError(400, e instanceof Error ? e.message : String(e));
  }
}

export function adminRoutes(d: AdminDeps): Route[] {
  const a = { api: "admin", auth: "admin" } as const;
  return [
    { ...a, method: "GET", pattern: "/_sandbox/info", handler: () => json(200, d.info()) },
    { ...a, method: "GET", pattern: "/_sandbox/state", handler: () => json(200, d.store.snapshot()) },
    {
      ...a,
      method: "PUT",
      pattern: "/_sandbox/state",
      handler: (ctx) => {
        const b = obj(ctx);
        // The whole body is checked before any of it is applied (issue 17 item 5).
        const problem = stateProblem(b, d.store.tenantId);
        if (problem) throw adminError(400, problem);
        d.store.replace(b as unknown as TenantState);
        return noContent();
      },
    },
    {
      ...a,
      method: "PATCH",
      pattern: "/_sandbox/state",
      handler: (ctx) => {
        const b = obj(ctx);
        // The whole patch is checked before any of it is applied (issue 17 item 5).
        const problem = statePatchProblem(b);
        if (problem) throw adminError(400, problem);
        d.store.patch(b);
        return noContent();
      },
    },
    {
      ...a,
      method: "POST",
      pattern: "/_sandbox/reset",
      handler: () => {
        d.store.reset();
        d.faults.clear();
        d.throttler.restore();
        d.requestLog.clear();
        d.messages.length = 0;
        d.exchange.reset();
        return noContent();
      },
    },
    {
      ...a,
      method: "GET",
      pattern: "/_sandbox/users/{id}",
      handler: (ctx) => {
        const u = d.store.findUser(ctx.params.id ?? "");
        if (!u) throw adminError(404, `no user '${ctx.params.id}'`);
        return json(200, u);
      },
    },
    {
      ...a,
      method: "PATCH",
      pattern: "/_sandbox/users/{id}",
      handler: (ctx) => {
        const u = d.store.findUser(ctx.params.id ?? "");
        if (!u) throw adminError(404, `no user '${ctx.params.id}'`);
        const b = obj(ctx);
        if ("id" in b) throw adminError(400, "[id] cannot change");
        return json(
          200,
          guard(() => d.store.updateUser(u.id, b as Partial<TenantUser>)),
        );
      },
    },
    {
      ...a,
      method: "PATCH",
      pattern: "/_sandbox/apps/{appId}",
      handler: (ctx) => {
        const b = obj(ctx);
        if ("appId" in b) throw adminError(400, "[appId] cannot change");
        if (!d.store.findApp(ctx.params.appId ?? "")) throw adminError(404, `no app '${ctx.params.appId}'`);
        return json(200, d.store.updateApp(ctx.params.appId ?? "", b));
      },
    },
    {
      ...a,
      method: "GET",
      pattern: "/_sandbox/requests",
      handler: () => json(200, { counts: d.requestLog.counts(), entries: d.requestLog.entries() }),
    },
    { ...a, method: "DELETE", pattern: "/_sandbox/requests", handler: () => (d.requestLog.clear(), noContent()) },
    { ...a, method: "GET", pattern: "/_sandbox/faults", handler: () => json(200, { rules: d.faults.list() }) },
    {
      ...a,
      method: "POST",
      pattern: "/_sandbox/faults",
      handler: (ctx) =>
        json(
          201,
          guard(() => d.faults.add(obj(ctx) as unknown as FaultRuleInput)),
        ),
    },
    { ...a, method: "DELETE", pattern: "/_sandbox/faults", handler: () => (d.faults.clear(), noContent()) },
    {
      ...a,
      method: "DELETE",
      pattern: "/_sandbox/faults/{id}",
      handler: (ctx) => (d.faults.remove(ctx.params.id ?? ""), noContent()),
    },
    {
      ...a,
      method: "GET",
      pattern: "/_sandbox/throttle",
      handler: () => json(200, { enabled: d.throttler.enabled, budgets: d.throttler.budgets() }),
    },
    {
      ...a,
      method: "PUT",
      pattern: "/_sandbox/throttle",
      handler: (ctx) => {
        const b = obj(ctx) as { enabled?: boolean; budgets?: Partial<ThrottleBudgets> };
        d.throttler.configure({
          ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
          ...(b.budgets ? { budgets: b.budgets } : {}),
        });
        return json(200, { enabled: d.throttler.enabled, budgets: d.throttler.budgets() });
      },
    },
    { ...a, method: "GET", pattern: "/_sandbox/exchange", handler: () => json(200, d.exchange.behaviour) },
    {
      ...a,
      method: "PUT",
      pattern: "/_sandbox/exchange",
      handler: (ctx) => {
        const patch = obj(ctx);
        // Validate on a copy first, so a bad key changes nothing.
        guard(() => updateExchangeBehaviour({ ...d.exchange.behaviour }, patch));
        return json(200, updateExchangeBehaviour(d.exchange.behaviour, patch));
      },
    },
    {
      ...a,
      method: "PUT",
      pattern: "/_sandbox/latency",
      handler: (ctx) => {
        const p = obj(ctx).profile;
        if (p !== "none" && p !== "realistic") throw adminError(400, "[profile] must be none or realistic");
        d.latency.profile = p;
        return json(200, { profile: p });
      },
    },
    {
      ...a,
      method: "POST",
      pattern: "/_sandbox/tokens",
      handler: (ctx) => {
        const b = obj(ctx) as { appId?: string; resource?: string; lifetimeSeconds?: number; roles?: string[] };
        const app = d.store.findApp(b.appId ?? "");
        if (!app) throw adminError(404, `no app '${b.appId}'`);
        const resource =
          b.resource === "graph"
            ? "https://graph.microsoft.com"
            : b.resource === "exchange"
              ? "https://outlook.office365.com"
              : (b.resource ?? "");
        const aud = RESOURCES[resource]?.aud ?? resource;
        if (!aud) throw adminError(400, "[resource] is required: graph, exchange or an audience");
        const token = d.tokens.issueToken(app, aud, {
          ...(b.lifetimeSeconds !== undefined ? { lifetimeSeconds: b.lifetimeSeconds } : {}),
          ...(b.roles ? { roles: b.roles } : {}),
        });
        return json(200, { access_token: token });
      },
    },
    {
      ...a,
      method: "POST",
      pattern: "/_sandbox/workload-identity/token",
      handler: (ctx) => {
        const b = obj(ctx) as { subject?: string; audience?: string };
        if (!b.subject) throw adminError(400, "[subject] is required");
        return json(200, { assertion: d.tokens.mintWorkloadAssertion(b.subject, b.audience) });
      },
    },
    { ...a, method: "GET", pattern: "/_sandbox/messages", handler: () => json(200, { messages: d.messages }) },
    { ...a, method: "DELETE", pattern: "/_sandbox/messages", handler: () => ((d.messages.length = 0), noContent()) },
  ] satisfies Route[];
}
