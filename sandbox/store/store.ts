/**
 * Store layer: the tenant's state behind an interface (STYLE.md guideline 2, Azurite's
 * IBlobMetadataStore), with one in-memory implementation. Handlers, the SMTP endpoint and the
 * admin endpoint read and change the tenant only through this interface; every change notifies
 * listeners (persistence, tests).
 */
import type {
  AppRegistration,
  AuthenticationPolicy,
  ExchangeServicePrincipal,
  MailboxPermission,
  TenantState,
  TenantUser,
} from "../model.ts";

/** The operations the sandbox performs on a tenant. Lookups never throw; mutations throw on unknown ids. */
export interface TenantStore {
  readonly tenantId: string;
  readonly domain: string;
  /** The live state; treat as read-only (mutate through the methods so listeners fire). */
  read(): Readonly<TenantState>;
  /** A deep copy, safe to keep or serialise. */
  snapshot(): TenantState;
  /** True when `tenant` (GUID, verified domain or its onmicrosoft.com name) names this tenant. */
  matchesTenant(tenant: string): boolean;
  /** All users, in directory order. */
  users(): readonly TenantUser[];
  /** By object id, or by UPN / primary SMTP address (case-insensitive). */
  findUser(idOrUpn: string): TenantUser | undefined;
  updateUser(id: string, patch: Partial<Omit<TenantUser, "id">>): TenantUser;
  setSecurityDefaults(enabled: boolean): void;
  setOrganizationSmtpAuthDisabled(disabled: boolean): void;
  setDefaultAuthenticationPolicy(name: string | null): void;
  findAuthenticationPolicy(name: string): AuthenticationPolicy | undefined;
  upsertAuthenticationPolicy(policy: AuthenticationPolicy): void;
  findApp(appId: string): AppRegistration | undefined;
  updateApp(appId: string, patch: Partial<Omit<AppRegistration, "appId">>): AppRegistration;
  addServicePrincipal(sp: ExchangeServicePrincipal): void;
  removeServicePrincipal(objectId: string): void;
  addMailboxPermission(perm: MailboxPermission): void;
  removeMailboxPermission(mailbox: string, user: string, accessRights: string[]): void;
  /** Merges top-level fields (admin drift simulation); arrays replace wholesale. */
  patch(partial: Partial<TenantState>): void;
  /** Replaces the whole state. */
  replace(state: TenantState): void;
  /** Restores the state the store was created with. */
  reset(): void;
  /** Subscribes to changes; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** The one store implementation: state in memory, indexes rebuilt on wholesale changes. */
export class MemoryTenantStore implements TenantStore {
  #state: TenantState;
  #initial: TenantState;
  #byId = new Map<string, TenantUser>();
  #byName = new Map<string, TenantUser>();
  #listeners = new Set<() => void>();

  /** `initial` is what reset() returns to; `current` (e.g. loaded from the state dir) defaults to it. */
  constructor(initial: TenantState, current?: TenantState) {
    this.#initial = structuredClone(initial);
    this.#state = structuredClone(current ?? initial);
    this.#reindex();
  }

  get tenantId(): string {
    return this.#state.tenantId;
  }

  get domain(): string {
    return this.#state.domain;
  }

  read(): Readonly<TenantState> {
    return this.#state;
  }

  snapshot(): TenantState {
    return structuredClone(this.#state);
  }

  matchesTenant(tenant: string): boolean {
    const t = tenant.toLowerCase();
    const domain = this.#state.domain.toLowerCase();
    const onMicrosoft = `${domain.split(".")[0]}.onmicrosoft.com`;
    return t === this.#state.tenantId.toLowerCase() || t === domain || t === onMicrosoft;
  }

  users(): readonly TenantUser[] {
    return this.#state.users;
  }

  findUser(idOrUpn: string): TenantUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.#byId.get(key) ?? this.#byName.get(key);
  }

  updateUser(id: string, patch: Partial<Omit<TenantUser, "id">>): TenantUser {
    const user = this.findUser(id);
    if (!user) throw new Error(`[users] no user '${id}'`);
    Object.assign(user, patch);
    if (patch.userPrincipalName !== undefined || patch.mail !== undefined) this.#reindex();
    this.#changed();
    return user;
  }

  setSecurityDefaults(enabled: boolean): void {
    this.#state.securityDefaultsEnabled = enabled;
    this.#changed();
  }

  setOrganizationSmtpAuthDisabled(disabled: boolean): void {
    this.#state.organizationSmtpClientAuthenticationDisabled = disabled;
    this.#changed();
  }

  setDefaultAuthenticationPolicy(name: string | null): void {
    this.#state.defaultAuthenticationPolicy = name;
    this.#changed();
  }

  findAuthenticationPolicy(name: string): AuthenticationPolicy | undefined {
    const key = name.toLowerCase();
    return this.#state.authenticationPolicies.find((p) => p.name.toLowerCase() === key);
  }

  upsertAuthenticationPolicy(policy: AuthenticationPolicy): void {
    const existing = this.findAuthenticationPolicy(policy.name);
    if (existing) Object.assign(existing, policy);
    else this.#state.authenticationPolicies.push({ ...policy });
    this.#changed();
  }

  findApp(appId: string): AppRegistration | undefined {
    const key = appId.toLowerCase();
    return this.#state.apps.find((a) => a.appId.toLowerCase() === key);
  }

  updateApp(appId: string, patch: Partial<Omit<AppRegistration, "appId">>): AppRegistration {
    const app = this.findApp(appId);
    if (!app) throw new Error(`[apps] no app '${appId}'`);
    Object.assign(app, patch);
    this.#changed();
    return app;
  }

  addServicePrincipal(sp: ExchangeServicePrincipal): void {
    this.#state.exchangeServicePrincipals.push({ ...sp });
    this.#changed();
  }

  removeServicePrincipal(objectId: string): void {
    const key = objectId.toLowerCase();
    this.#state.exchangeServicePrincipals = this.#state.exchangeServicePrincipals.filter(
      (s) => s.objectId.toLowerCase() !== key,
    );
    this.#changed();
  }

  addMailboxPermission(perm: MailboxPermission): void {
    const existing = this.#state.mailboxPermissions.find(
      (p) => p.mailbox.toLowerCase() === perm.mailbox.toLowerCase() && p.user.toLowerCase() === perm.user.toLowerCase(),
    );
    if (existing) existing.accessRights = [...new Set([...existing.accessRights, ...perm.accessRights])];
    else this.#state.mailboxPermissions.push({ ...perm, accessRights: [...perm.accessRights] });
    this.#changed();
  }

  removeMailboxPermission(mailbox: string, user: string, accessRights: string[]): void {
    const rights = new Set(accessRights.map((r) => r.toLowerCase()));
    this.#state.mailboxPermissions = this.#state.mailboxPermissions.flatMap((p) => {
      if (p.mailbox.toLowerCase() !== mailbox.toLowerCase() || p.user.toLowerCase() !== user.toLowerCase()) return [p];
      const left = p.accessRights.filter((r) => !rights.has(r.toLowerCase()));
      return left.length ? [{ ...p, accessRights: left }] : [];
    });
    this.#changed();
  }

  patch(partial: Partial<TenantState>): void {
    Object.assign(this.#state, structuredClone(partial));
    this.#reindex();
    this.#changed();
  }

  replace(state: TenantState): void {
    this.#state = structuredClone(state);
    this.#reindex();
    this.#changed();
  }

  reset(): void {
    this.replace(this.#initial);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #reindex(): void {
    this.#byId.clear();
    this.#byName.clear();
    for (const u of this.#state.users) {
      this.#byId.set(u.id.toLowerCase(), u);
      this.#byName.set(u.mail.toLowerCase(), u);
    }
    // UPNs win over mail addresses when they collide.
    for (const u of this.#state.users) this.#byName.set(u.userPrincipalName.toLowerCase(), u);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
