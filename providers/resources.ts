/**
 * What each resource kind does against the tenant: the provider contract (check, diff, create, read,
 * update, delete) for security defaults, organisation and per-mailbox SMTP AUTH, the stray-mailbox
 * reset of `others: inherit`, and legacy per-user MFA.
 *
 * Contract, the same for every kind:
 * - create adopts: it reads the current value, records it as `prior`, then sets the declared one;
 * - read reports what is there and returns it as inputs too, so refresh shows drift and nothing else;
 *   a read that fails throws (never "absent", never drift);
 * - delete puts `prior` back unless stack config `onDelete` is `leave`.
 */
import type { dynamic } from "@pulumi/pulumi";
import { mfaSatisfies } from "../m365/gates.ts";
import { createCoalescer, createSnapshot, type Coalescer, type Snapshot } from "./coalesce.ts";
import { ApiError, type HttpClient } from "../tenant/http.ts";
import { PermissionError, type CasMailbox, type TenantApi } from "../tenant/api.ts";
import type {
  MailboxSmtpAuthInputs,
  MailboxSmtpAuthState,
  OrganizationSmtpAuthInputs,
  OtherMailboxesSmtpAuthInputs,
  PerUserMfaInputs,
  PerUserMfaState,
  ResourceKind,
  SecurityDefaultsInputs,
} from "./types.ts";
import type { ExchangeServicePrincipalInputs, MailboxPermissionInputs, Presence } from "./types.ts";

export interface ProviderContext {
  api: TenantApi;
  onDelete: "restore" | "leave";
  /** Coalesced single-mailbox reads (answered from the mailbox listing when many are asked at once). */
  mailboxes: Coalescer<string, CasMailbox>;
  /** Every mailbox, from one paged Get-CASMailbox listing shared for {@link LISTING_MAX_AGE_MS}. */
  mailboxListing: Snapshot<Map<string, CasMailbox>>;
  /** Coalesced per-user MFA reads (Graph $batch of 20). */
  mfa: Coalescer<string, PerUserMfaState>;
  /** Every user principal name (lower case), from one paged Graph users listing; for check only. */
  userDirectory: Snapshot<Set<string>>;
  /** Records a mailbox value this process just wrote, so later reads from a kept listing see it. */
  wroteMailbox(mailbox: string, state: MailboxSmtpAuthState): void;
}

/** Above this many mailboxes in one window, one paged listing is cheaper than one call each. */
const BULK_MAILBOX_THRESHOLD = 50;

/**
 * How long a listing may answer reads after it started. A refresh of thousands of resources reads
 * them all within seconds: one listing serves the lot, and a value is at most this old (plus the
 * listing's own duration) when it is reported. Our own writes are applied to the kept listing.
 */
export const LISTING_MAX_AGE_MS = 30_000;

/** Existence checks (check) tolerate an older directory: users and mailboxes rarely come and go. */
export const DIRECTORY_MAX_AGE_MS = 300_000;

export function createProviderContext(api: TenantApi, onDelete: "restore" | "leave"): ProviderContext {
  const mailboxListing = createSnapshot(
    async () => new Map((await api.listCasMailboxes(false)).map((m) => [m.mailbox, m])),
    LISTING_MAX_AGE_MS,
  );
  // Reads may trickle in a few per window (the engine starts them as its workers free up): count them
  // all, so that a command reading many mailboxes lists them once instead of reading them one by one.
  let mailboxesAsked = 0;
  return {
    api,
    onDelete,
    mailboxListing,
    mailboxes: createCoalescer(async (keys) => {
      const found = new Map<string, CasMailbox>();
      mailboxesAsked += keys.length;
      // Once a listing is kept, small windows are answered from it too.
      if (mailboxesAsked > BULK_MAILBOX_THRESHOLD || mailboxListing.fresh()) {
        const all = await mailboxListing.get();
        for (const key of keys) {
          const m = all.get(key);
          if (m) found.set(key, m);
        }
        return found;
      }
      await Promise.all(
        keys.map(async (key) => {
          try {
            found.set(key, await api.getCasMailbox(key));
          } catch (err) {
            if (!(err instanceof ApiError && err.code === "NOT_FOUND")) throw err;
          }
        }),
      );
      return found;
    }),
    mfa: createCoalescer((keys) => api.getPerUserMfaMany(keys)),
    userDirectory: createSnapshot(
      async () => new Set((await api.listUserPrincipalNames()).map((u) => u.toLowerCase())),
      DIRECTORY_MAX_AGE_MS,
    ),
    wroteMailbox(mailbox, state) {
      mailboxListing.patch((all) => {
        if (all.has(mailbox)) all.set(mailbox, { mailbox, state });
      });
    },
  };
}

/**
 * Whether Exchange has the mailbox, for check. The engine calls check once per resource, one after
 * another, so a call per resource would cost a round trip each: the answer comes from the shared
 * listing instead (ceil(mailboxes / 1,000) calls per command).
 */
async function mailboxExists(ctx: ProviderContext, mailbox: string): Promise<boolean> {
  return (await ctx.mailboxListing.get()).has(mailbox);
}

/** Whether Graph has the user, for check: from the users listing, or (without User.Read.All) one MFA read. */
async function userExists(ctx: ProviderContext, user: string): Promise<boolean> {
  try {
    return (await ctx.userDirectory.get()).has(user);
  } catch (err) {
    if (!(err instanceof PermissionError)) throw err;
    return (await ctx.mfa.load(user)) !== undefined;
  }
}

async function setMailbox(ctx: ProviderContext, mailbox: string, state: MailboxSmtpAuthState): Promise<void> {
  await ctx.api.setCasMailbox(mailbox, state);
  ctx.wroteMailbox(mailbox, state);
}

type Failure = dynamic.CheckFailure;

/** The provider methods for one kind, with the tenant context passed in. */
export interface KindProvider<I, O> {
  check(ctx: ProviderContext, olds: Partial<O>, news: I): Promise<{ inputs: I; failures: Failure[] }>;
  diff(olds: O, news: I): dynamic.DiffResult;
  create(ctx: ProviderContext, inputs: I): Promise<{ id: string; outs: O }>;
  read(ctx: ProviderContext, id: string, props: O): Promise<{ id: string; props: O; inputs: I }>;
  update(ctx: ProviderContext, id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(ctx: ProviderContext, id: string, props: O): Promise<void>;
}

/** Properties whose change needs an API call; the rest (owner, ticket, reason…) are bookkeeping. */
function diffProps<T extends object>(olds: T, news: T, keys: (keyof T)[]): dynamic.DiffResult {
  const changed = keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false, stables: [] };
}

function inputKeys<I extends object>(outs: I & { prior?: unknown }): I {
  const { prior: _prior, ...inputs } = outs;
  return inputs as I;
}

// ------------------------------------------------------------------------------------------------

export interface SecurityDefaultsOutputs extends SecurityDefaultsInputs {
  prior: boolean;
}

const securityDefaults: KindProvider<SecurityDefaultsInputs, SecurityDefaultsOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    if (typeof news.enabled !== "boolean") failures.push({ property: "enabled", reason: "must be true or false" });
    return { inputs: news, failures };
  },
  diff(olds, news) {
    return diffProps(olds, news as SecurityDefaultsOutputs, [
      "enabled",
      "reason",
      "conditionalAccessBaseline",
      "riskAcceptance",
    ]);
  },
  async create(ctx, inputs) {
    const prior = await ctx.api.getSecurityDefaults();
    if (prior !== inputs.enabled) await ctx.api.setSecurityDefaults(inputs.enabled);
    return { id: "security-defaults", outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const enabled = await ctx.api.getSecurityDefaults();
    const outs = { ...props, enabled };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.enabled !== news.enabled) await ctx.api.setSecurityDefaults(news.enabled);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.prior !== props.enabled) await ctx.api.setSecurityDefaults(props.prior);
  },
};

// ------------------------------------------------------------------------------------------------

export interface OrganizationSmtpAuthOutputs extends OrganizationSmtpAuthInputs {
  prior: "enabled" | "disabled";
}

const organizationSmtpAuth: KindProvider<OrganizationSmtpAuthInputs, OrganizationSmtpAuthOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    if (news.state !== "enabled" && news.state !== "disabled") {
      failures.push({ property: "state", reason: "must be enabled or disabled" });
    }
    return { inputs: news, failures };
  },
  diff(olds, news) {
    return diffProps(olds, news as OrganizationSmtpAuthOutputs, ["state"]);
  },
  async create(ctx, inputs) {
    const prior = (await ctx.api.getOrganizationSmtpAuthDisabled()) ? "disabled" : "enabled";
    if (prior !== inputs.state) await ctx.api.setOrganizationSmtpAuthDisabled(inputs.state === "disabled");
    return { id: "organization-smtp-auth", outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const disabled = await ctx.api.getOrganizationSmtpAuthDisabled();
    const outs: OrganizationSmtpAuthOutputs = { ...props, state: disabled ? "disabled" : "enabled" };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) await ctx.api.setOrganizationSmtpAuthDisabled(news.state === "disabled");
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.prior !== props.state) {
      await ctx.api.setOrganizationSmtpAuthDisabled(props.prior === "disabled");
    }
  },
};

// ------------------------------------------------------------------------------------------------

export interface MailboxSmtpAuthOutputs extends MailboxSmtpAuthInputs {
  prior: MailboxSmtpAuthState;
}

async function readMailbox(ctx: ProviderContext, mailbox: string): Promise<CasMailbox> {
  const found = await ctx.mailboxes.load(mailbox);
  if (!found) {
    throw new ApiError({
      code: "NOT_FOUND",
      message: `Exchange has no mailbox ${mailbox}`,
      method: "POST",
      url: "Get-CASMailbox",
      status: 404,
      attempts: 1,
    });
  }
  return found;
}

const mailboxSmtpAuth: KindProvider<MailboxSmtpAuthInputs, MailboxSmtpAuthOutputs> = {
  async check(ctx, _olds, news) {
    const failures: Failure[] = [];
    const mailbox = String(news.mailbox ?? "").toLowerCase();
    if (!["inherit", "enabled", "disabled"].includes(news.state)) {
      failures.push({ property: "state", reason: "must be inherit, enabled or disabled" });
    }
    if (!(await mailboxExists(ctx, mailbox))) {
      failures.push({ property: "mailbox", reason: `no Exchange Online mailbox ${mailbox} in the tenant` });
    }
    return { inputs: { ...news, mailbox }, failures };
  },
  diff(olds, news) {
    if (olds.mailbox !== news.mailbox) {
      return { changes: true, replaces: ["mailbox"], deleteBeforeReplace: true, stables: [] };
    }
    return diffProps(olds, news as MailboxSmtpAuthOutputs, ["state", "owner", "ticket", "expires"]);
  },
  async create(ctx, inputs) {
    const { state: prior } = await readMailbox(ctx, inputs.mailbox);
    if (prior !== inputs.state) await setMailbox(ctx, inputs.mailbox, inputs.state);
    return { id: inputs.mailbox, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const { state } = await readMailbox(ctx, props.mailbox ?? id);
    const outs = { ...props, state };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) await setMailbox(ctx, news.mailbox, news.state);
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.prior !== props.state) {
      await setMailbox(ctx, props.mailbox, props.prior);
    }
  },
};

// ------------------------------------------------------------------------------------------------

export interface OtherMailboxesSmtpAuthOutputs extends OtherMailboxesSmtpAuthInputs {
  /** Mailboxes this resource reset to inherit, with the value each had, for delete to restore. */
  reset: { mailbox: string; prior: MailboxSmtpAuthState }[];
}

async function findStrays(ctx: ProviderContext, declared: string[]): Promise<CasMailbox[]> {
  const keep = new Set(declared);
  return (await ctx.api.listCasMailboxes(true)).filter((m) => m.state !== "inherit" && !keep.has(m.mailbox));
}

/** Resets every stray at once; the HTTP layer bounds how many calls are in flight (http.ts). */
async function resetStrays(ctx: ProviderContext, strays: CasMailbox[]) {
  await Promise.all(strays.map((stray) => setMailbox(ctx, stray.mailbox, "inherit")));
  return strays.map((s) => ({ mailbox: s.mailbox, prior: s.state }));
}

const otherMailboxesSmtpAuth: KindProvider<OtherMailboxesSmtpAuthInputs, OtherMailboxesSmtpAuthOutputs> = {
  async check(_ctx, _olds, news) {
    return { inputs: { declared: [...news.declared].sort(), strays: news.strays }, failures: [] };
  },
  diff(olds, news) {
    return diffProps(olds, news as OtherMailboxesSmtpAuthOutputs, ["declared", "strays"]);
  },
  async create(ctx, inputs) {
    const reset = await resetStrays(ctx, await findStrays(ctx, inputs.declared));
    return { id: "other-mailboxes-smtp-auth", outs: { ...inputs, strays: [], reset } };
  },
  async read(ctx, id, props) {
    const strays = (await findStrays(ctx, props.declared)).map((m) => m.mailbox).sort();
    const outs = { ...props, strays };
    return { id, props: outs, inputs: { declared: props.declared, strays } };
  },
  async update(ctx, _id, olds, news) {
    const reset = await resetStrays(ctx, await findStrays(ctx, news.declared));
    const earlier = olds.reset.filter((r) => !reset.some((n) => n.mailbox === r.mailbox));
    return { outs: { ...news, strays: [], reset: [...earlier, ...reset] } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete !== "restore") return;
    await Promise.all(props.reset.map((r) => setMailbox(ctx, r.mailbox, r.prior)));
  },
};

// ------------------------------------------------------------------------------------------------

export interface PerUserMfaOutputs extends PerUserMfaInputs {
  prior: PerUserMfaState;
}

async function readMfa(ctx: ProviderContext, user: string): Promise<PerUserMfaState> {
  const state = await ctx.mfa.load(user);
  if (!state) {
    throw new ApiError({
      code: "NOT_FOUND",
      message: `Microsoft Graph has no user ${user}`,
      method: "GET",
      url: `users/${user}/authentication/requirements`,
      status: 404,
      attempts: 1,
    });
  }
  return state;
}

const perUserMfa: KindProvider<PerUserMfaInputs, PerUserMfaOutputs> = {
  async check(ctx, _olds, news) {
    const failures: Failure[] = [];
    const user = String(news.user ?? "").toLowerCase();
    if (!["disabled", "enabled", "enforced"].includes(news.state)) {
      failures.push({ property: "state", reason: "must be disabled, enabled or enforced" });
    }
    if (!(await userExists(ctx, user))) failures.push({ property: "user", reason: `no user ${user} in the tenant` });
    return { inputs: { ...news, user }, failures };
  },
  diff(olds, news) {
    if (olds.user !== news.user) return { changes: true, replaces: ["user"], deleteBeforeReplace: true, stables: [] };
    return diffProps(olds, news as PerUserMfaOutputs, ["state", "owner", "ticket", "expires", "directoryRoles"]);
  },
  async create(ctx, inputs) {
    const prior = await readMfa(ctx, inputs.user);
    if (!mfaSatisfies(inputs.state, prior)) await ctx.api.setPerUserMfa(inputs.user, inputs.state);
    return { id: inputs.user, outs: { ...inputs, prior } };
  },
  async read(ctx, id, props) {
    const actual = await readMfa(ctx, props.user ?? id);
    const state = mfaSatisfies(props.state, actual) ? props.state : actual;
    const outs = { ...props, state };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(ctx, _id, olds, news) {
    if (olds.state !== news.state) {
      const actual = await readMfa(ctx, news.user);
      if (!mfaSatisfies(news.state, actual)) await ctx.api.setPerUserMfa(news.user, news.state);
    }
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete === "restore" && props.prior !== props.state) await ctx.api.setPerUserMfa(props.user, props.prior);
  },
};

// ------------------------------------------------------------------------------------------------
// Issue 8: the Exchange side of OAuth (XOAUTH2) for SMTP. Kept apart from the settings kinds above.
//
// These two kinds are objects, not settings: create adopts one that is already there (prior
// "present") and delete removes only what this stack added (prior "absent"). A read that finds the
// object gone (Exchange answers ManagementObjectNotFound) reports it deleted, so the next `up`
// puts it back; any other failed read throws.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string property of an Exchange output object, or "" when it is absent or not a string. */
const text = (v: unknown): string => (typeof v === "string" ? v : "");

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === "NOT_FOUND";
}

/** @internal A registered service principal as Get-ServicePrincipal shows it. */
export interface RegisteredServicePrincipal {
  appId: string;
  objectId: string;
  displayName: string;
}

/** Get-ServicePrincipal -Identity <appId or objectId>; undefined when Exchange has none. */
async function findExchangeServicePrincipal(
  ctx: ProviderContext,
  identity: string,
): Promise<RegisteredServicePrincipal | undefined> {
  let rows: Record<string, unknown>[];
  try {
    rows = await ctx.api.invoke("Get-ServicePrincipal", { Identity: identity });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const row = rows[0];
  if (!row) return undefined;
  // Exchange names the Entra object id ObjectId in newer builds and ServiceId in older ones.
  const objectId = row.ObjectId ?? row.ServiceId;
  return {
    appId: text(row.AppId).toLowerCase(),
    objectId: text(objectId).toLowerCase(),
    displayName: text(row.DisplayName),
  };
}

export interface ExchangeServicePrincipalOutputs extends ExchangeServicePrincipalInputs {
  prior: Presence;
}

const exchangeServicePrincipal: KindProvider<ExchangeServicePrincipalInputs, ExchangeServicePrincipalOutputs> = {
  async check(_ctx, _olds, news) {
    const failures: Failure[] = [];
    const appId = String(news.appId ?? "").toLowerCase();
    const objectId = String(news.objectId ?? "").toLowerCase();
    if (!GUID.test(appId)) failures.push({ property: "appId", reason: "must be the application (client) id, a GUID" });
    if (!GUID.test(objectId)) {
      failures.push({ property: "objectId", reason: "must be the enterprise application's object id, a GUID" });
    }
    const inputs: ExchangeServicePrincipalInputs = { appId, objectId };
    if (news.displayName !== undefined) inputs.displayName = news.displayName;
    return { inputs, failures };
  },
  diff(olds, news) {
    if (olds.appId !== news.appId || olds.objectId !== news.objectId) {
      const replaces = (["appId", "objectId"] as const).filter((k) => olds[k] !== news[k]);
      return { changes: true, replaces, deleteBeforeReplace: true, stables: [] };
    }
    // Exchange has no Set-ServicePrincipal in our model: a display name is bookkeeping only.
    return diffProps(olds, news as ExchangeServicePrincipalOutputs, ["displayName"]);
  },
  async create(ctx, inputs) {
    const existing = await findExchangeServicePrincipal(ctx, inputs.appId);
    if (existing) {
      if (existing.objectId !== inputs.objectId) {
        throw new Error(
          `Exchange already has a service principal for app ${inputs.appId} with object id ${existing.objectId}, ` +
            `not the declared ${inputs.objectId}; New-ServicePrincipal needs the enterprise application's object id ` +
            `(not the app registration's). Remove the wrong one with Remove-ServicePrincipal, or declare the right id`,
        );
      }
      return { id: inputs.objectId, outs: { ...inputs, prior: "present" } };
    }
    const params: Record<string, unknown> = { AppId: inputs.appId, ObjectId: inputs.objectId };
    if (inputs.displayName !== undefined) params.DisplayName = inputs.displayName;
    await ctx.api.invoke("New-ServicePrincipal", params);
    return { id: inputs.objectId, outs: { ...inputs, prior: "absent" } };
  },
  async read(ctx, id, props) {
    const found = await findExchangeServicePrincipal(ctx, props.objectId ?? id);
    if (!found) return { id: "", props, inputs: inputKeys(props) };
    const outs = { ...props, appId: found.appId, objectId: found.objectId };
    return { id, props: outs, inputs: inputKeys(outs) };
  },
  async update(_ctx, _id, olds, news) {
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete !== "restore" || props.prior === "present") return;
    try {
      await ctx.api.invoke("Remove-ServicePrincipal", { Identity: props.objectId, Confirm: false });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

// ------------------------------------------------------------------------------------------------

export interface MailboxPermissionOutputs extends MailboxPermissionInputs {
  prior: Presence;
}

/**
 * The access rights `user` holds on `mailbox` (Get-MailboxPermission -Identity, every row, matched on
 * the trustee's object id or app id); undefined when none. Throws NOT_FOUND when the mailbox is gone.
 */
async function mailboxRights(ctx: ProviderContext, mailbox: string, trustee: string[]): Promise<string[] | undefined> {
  const want = trustee.map((t) => t.toLowerCase());
  const rows = await ctx.api.invoke("Get-MailboxPermission", { Identity: mailbox });
  const rights = rows
    .filter((r) => want.includes(text(r.User).toLowerCase()) && r.Deny !== true)
    .flatMap((r) => (Array.isArray(r.AccessRights) ? r.AccessRights.map(text) : [text(r.AccessRights)]))
    .flatMap((r) => r.split(",").map((x) => x.trim()))
    .filter(Boolean);
  return rights.length > 0 ? rights : undefined;
}

const hasAll = (held: string[] | undefined, wanted: string[]) =>
  held !== undefined && wanted.every((w) => held.some((h) => h.toLowerCase() === w.toLowerCase()));

const mailboxPermission: KindProvider<MailboxPermissionInputs, MailboxPermissionOutputs> = {
  async check(ctx, _olds, news) {
    const failures: Failure[] = [];
    const mailbox = String(news.mailbox ?? "").toLowerCase();
    const user = String(news.user ?? "").toLowerCase();
    const appId = String(news.appId ?? "").toLowerCase();
    const accessRights = Array.isArray(news.accessRights) ? news.accessRights.map(String) : [];
    if (!GUID.test(user)) failures.push({ property: "user", reason: "must be the service principal's object id" });
    if (accessRights.length !== 1 || accessRights[0] !== "FullAccess") {
      failures.push({ property: "accessRights", reason: "must be [FullAccess]" });
    }
    if (!(await mailboxExists(ctx, mailbox))) {
      failures.push({ property: "mailbox", reason: `no Exchange Online mailbox ${mailbox} in the tenant` });
    }
    return { inputs: { mailbox, user, appId, accessRights }, failures };
  },
  diff(olds, news) {
    const replaces = (["mailbox", "user", "accessRights"] as const).filter(
      (k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: true, stables: [] };
    return diffProps(olds, news as MailboxPermissionOutputs, ["appId"]);
  },
  async create(ctx, inputs) {
    const held = await mailboxRights(ctx, inputs.mailbox, [inputs.user, inputs.appId]);
    if (hasAll(held, inputs.accessRights)) {
      return { id: `${inputs.mailbox}/${inputs.user}`, outs: { ...inputs, prior: "present" } };
    }
    await ctx.api.invoke("Add-MailboxPermission", {
      Identity: inputs.mailbox,
      User: inputs.user,
      AccessRights: inputs.accessRights,
      AutoMapping: false,
    });
    return { id: `${inputs.mailbox}/${inputs.user}`, outs: { ...inputs, prior: "absent" } };
  },
  async read(ctx, id, props) {
    // A missing mailbox throws (NOT_FOUND): the resource's target is gone, which is an error to see.
    const held = await mailboxRights(ctx, props.mailbox, [props.user, props.appId]);
    if (!hasAll(held, props.accessRights)) return { id: "", props, inputs: inputKeys(props) };
    return { id, props, inputs: inputKeys(props) };
  },
  async update(_ctx, _id, olds, news) {
    return { outs: { ...news, prior: olds.prior } };
  },
  async delete(ctx, _id, props) {
    if (ctx.onDelete !== "restore" || props.prior === "present") return;
    try {
      await ctx.api.invoke("Remove-MailboxPermission", {
        Identity: props.mailbox,
        User: props.user,
        AccessRights: props.accessRights,
        Confirm: false,
      });
    } catch (err) {
      // The mailbox or the service principal is gone already: so is the permission.
      if (!isNotFound(err)) throw err;
    }
  },
};

// ------------------------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own input and output types
export const KIND_PROVIDERS: Record<ResourceKind, KindProvider<any, any>> = {
  SecurityDefaults: securityDefaults,
  OrganizationSmtpAuth: organizationSmtpAuth,
  MailboxSmtpAuth: mailboxSmtpAuth,
  OtherMailboxesSmtpAuth: otherMailboxesSmtpAuth,
  PerUserMfa: perUserMfa,
  ExchangeServicePrincipal: exchangeServicePrincipal,
  MailboxPermission: mailboxPermission,
};

export type { HttpClient };
