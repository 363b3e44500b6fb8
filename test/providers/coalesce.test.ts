import { describe, expect, it, vi } from "vitest";
import { createCoalescer, createSnapshot } from "../../providers/coalesce.ts";
import { ApiError } from "../../tenant/http.ts";
import { createProviderContext } from "../../providers/context.ts";
import { KIND_PROVIDERS } from "../../providers/kinds/index.ts";
import { PermissionError, type CasMailbox } from "../../tenant/api.ts";
import { fakeApi } from "../helpers/fakes.ts";

const mailboxes = (n: number): CasMailbox[] =>
  Array.from({ length: n }, (_, i) => ({
    mailbox: `user${i}@contoso.com`,
    state: i % 10 === 0 ? "enabled" : "inherit",
  }));

describe("createCoalescer", () => {
  it("answers the keys asked within one window with one bulk call, missing keys with undefined", async () => {
    const bulk = vi.fn(
      async (keys: string[]) => new Map(keys.filter((k) => k !== "b").map((k) => [k, k.toUpperCase()])),
    );
    const c = createCoalescer(bulk);
    expect(await Promise.all([c.load("a"), c.load("b"), c.load("c"), c.load("a")])).toEqual(["A", undefined, "C", "A"]);
    expect(bulk.mock.calls).toEqual([[["a", "b", "c"]]]);
  });

  it("rejects every waiter of a failed bulk call", async () => {
    const c = createCoalescer<string, string>(async () => {
      throw new Error("boom");
    });
    const results = await Promise.allSettled([c.load("a"), c.load("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("createSnapshot", () => {
  it("shares one load with everyone who asks while it is in flight or younger than maxAge, then loads again", async () => {
    let clock = 0;
    const load = vi.fn(async () => ({ n: load.mock.calls.length }));
    const snap = createSnapshot(load, 1000, () => clock);
    expect(snap.fresh()).toBe(false);
    const [a, b] = await Promise.all([snap.get(), snap.get()]);
    clock = 999;
    const c = await snap.get();
    expect([a, b, c]).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    clock = 1000;
    expect(snap.fresh()).toBe(false);
    expect(await snap.get()).toEqual({ n: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("keeps no failed load", async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error("503")).mockResolvedValueOnce("ok");
    const snap = createSnapshot(load as () => Promise<string>, 60_000);
    await expect(snap.get()).rejects.toThrow("503");
    expect(await snap.get()).toBe("ok");
  });

  it("applies our own writes to the kept value, also to a load still in flight", async () => {
    let release!: (v: Map<string, string>) => void;
    const snap = createSnapshot(() => new Promise<Map<string, string>>((r) => (release = r)), 60_000);
    snap.patch((m) => m.set("x", "before load: ignored"));
    const pending = snap.get();
    snap.patch((m) => m.set("a", "written"));
    release(new Map([["a", "listed"]]));
    await pending;
    expect((await snap.get()).get("a")).toBe("written");
    expect((await snap.get()).has("x")).toBe(false);
  });
});

describe("provider context: bulk reads", () => {
  it("answers hundreds of concurrent mailbox reads from one listing", async () => {
    const listCasMailboxes = vi.fn(async () => mailboxes(300));
    const ctx = createProviderContext(fakeApi({ listCasMailboxes }), "restore");
    const got = await Promise.all(mailboxes(300).map((m) => ctx.mailboxes.load(m.mailbox)));
    expect(got).toEqual(mailboxes(300));
    expect(listCasMailboxes.mock.calls).toEqual([[false]]);
  });

  it("reads a few mailboxes one by one, and once many were asked, from one listing", async () => {
    const getCasMailbox = vi.fn(async (m: string) => ({ mailbox: m, state: "inherit" as const }));
    const listCasMailboxes = vi.fn(async () => mailboxes(100));
    const ctx = createProviderContext(fakeApi({ getCasMailbox, listCasMailboxes }), "restore");
    for (let i = 0; i < 60; i++) await ctx.mailboxes.load(`user${i}@contoso.com`);
    expect(getCasMailbox).toHaveBeenCalledTimes(50);
    expect(listCasMailboxes).toHaveBeenCalledTimes(1);
  });

  it("checks thousands of mailboxes, one after another as the engine does, with one listing", async () => {
    const listCasMailboxes = vi.fn(async () => mailboxes(2000));
    const ctx = createProviderContext(fakeApi({ listCasMailboxes }), "restore");
    const check = KIND_PROVIDERS.MailboxSmtpAuth;
    for (let i = 0; i < 2000; i++) {
      const r = await check.check(ctx, {}, { mailbox: `User${i}@Contoso.com`, state: "inherit" });
      expect(r.failures).toEqual([]);
    }
    const missing = await check.check(ctx, {}, { mailbox: "nobody@contoso.com", state: "inherit" });
    expect(missing.failures).toEqual([
      { property: "mailbox", reason: "no Exchange Online mailbox nobody@contoso.com in the tenant" },
    ]);
    expect(listCasMailboxes).toHaveBeenCalledTimes(1);
  });

  it("does not look up a mailbox or user the state already holds: refresh's read does", async () => {
    const listCasMailboxes = vi.fn(async () => mailboxes(10));
    const listUserPrincipalNames = vi.fn(async () => ["alice@contoso.com"]);
    const ctx = createProviderContext(fakeApi({ listCasMailboxes, listUserPrincipalNames }), "restore");
    const { MailboxSmtpAuth: mailbox, PerUserMfa: mfa } = KIND_PROVIDERS;
    const held = { mailbox: "gone@contoso.com", state: "enabled" as const, prior: "inherit" as const };
    expect((await mailbox.check(ctx, held, { mailbox: "Gone@Contoso.com", state: "disabled" })).failures).toEqual([]);
    const heldUser = { user: "gone@contoso.com", state: "enabled" as const, prior: "disabled" as const };
    expect((await mfa.check(ctx, heldUser, { user: "gone@contoso.com", state: "enforced" })).failures).toEqual([]);
    expect(listCasMailboxes).not.toHaveBeenCalled();
    expect(listUserPrincipalNames).not.toHaveBeenCalled();
    // Another item than the one held is new: looked up, and its absence named.
    expect((await mailbox.check(ctx, held, { mailbox: "other@contoso.com", state: "disabled" })).failures).toEqual([
      { property: "mailbox", reason: "no Exchange Online mailbox other@contoso.com in the tenant" },
    ]);
    expect((await mfa.check(ctx, heldUser, { user: "other@contoso.com", state: "enforced" })).failures).toEqual([
      { property: "user", reason: "no user other@contoso.com in the tenant" },
    ]);
  });

  it("checks users against the users listing, or one MFA read each without User.Read.All", async () => {
    const listUserPrincipalNames = vi.fn(async () => ["Alice@contoso.com"]);
    const ctx = createProviderContext(fakeApi({ listUserPrincipalNames }), "restore");
    const mfa = KIND_PROVIDERS.PerUserMfa;
    expect((await mfa.check(ctx, {}, { user: "alice@contoso.com", state: "disabled" })).failures).toEqual([]);
    expect((await mfa.check(ctx, {}, { user: "bob@contoso.com", state: "disabled" })).failures).toEqual([
      { property: "user", reason: "no user bob@contoso.com in the tenant" },
    ]);

    const denied = new ApiError({
      code: "PERMISSION_DENIED",
      message: "403",
      method: "GET",
      url: "u",
      status: 403,
      attempts: 1,
    });
    const getPerUserMfaMany = vi.fn(async (upns: string[]) => new Map(upns.map((u) => [u, "disabled" as const])));
    const limited = createProviderContext(
      fakeApi({
        listUserPrincipalNames: async () => {
          throw new PermissionError("graph.users.read", denied);
        },
        getPerUserMfaMany,
      }),
      "restore",
    );
    expect((await mfa.check(limited, {}, { user: "alice@contoso.com", state: "disabled" })).failures).toEqual([]);
    expect(getPerUserMfaMany.mock.calls).toEqual([[["alice@contoso.com"]]]);
  });

  it("a mailbox this process wrote reads back as written from the kept listing", async () => {
    const setCasMailbox = vi.fn(async () => undefined);
    const ctx = createProviderContext(
      fakeApi({ listCasMailboxes: async () => mailboxes(100), setCasMailbox }),
      "restore",
    );
    await Promise.all(mailboxes(100).map((m) => ctx.mailboxes.load(m.mailbox)));
    const mailbox = KIND_PROVIDERS.MailboxSmtpAuth;
    await mailbox.update(
      ctx,
      "user1@contoso.com",
      { mailbox: "user1@contoso.com", state: "inherit", prior: "inherit" },
      { mailbox: "user1@contoso.com", state: "disabled" },
    );
    const read = await mailbox.read(ctx, "user1@contoso.com", {
      mailbox: "user1@contoso.com",
      state: "disabled",
      prior: "inherit",
    });
    expect(read.props.state).toBe("disabled");
    expect(setCasMailbox.mock.calls).toEqual([["user1@contoso.com", "disabled"]]);
  });

  it("others: inherit resets every stray, all of them in flight together, and records each prior", async () => {
    let inFlight = 0;
    let most = 0;
    const setCasMailbox = vi.fn(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    });
    const strays = mailboxes(50).filter((m) => m.state !== "inherit");
    const ctx = createProviderContext(fakeApi({ listCasMailboxes: async () => strays, setCasMailbox }), "restore");
    const others = KIND_PROVIDERS.OtherMailboxesSmtpAuth;
    const { outs } = await others.create(ctx, { declared: [], strays: [] });
    expect(outs.reset).toEqual(strays.map((m) => ({ mailbox: m.mailbox, prior: m.state })));
    expect(setCasMailbox).toHaveBeenCalledTimes(strays.length);
    expect(most).toBe(strays.length);
  });
});
