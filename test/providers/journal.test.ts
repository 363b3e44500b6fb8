import { appendFileSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createProviderContext } from "../../providers/context.ts";
import { fileBackendDir, journalPath, openFileJournal, replayJournal } from "../../providers/journal.ts";
import { KIND_PROVIDERS } from "../../providers/kinds/index.ts";
import type { CasMailbox } from "../../tenant/api.ts";
import type { PerUserMfaState } from "../../m365/model.ts";
import { fakeApi } from "../helpers/fakes.ts";

/** Read-back of mailbox writes (read-back.ts) without its real delays. */
const NO_WAIT = { sleep: async () => undefined };

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const tmp = () => (dir = mkdtempSync(path.join(tmpdir(), "journal-")));

describe("the prior-value journal", () => {
  it("keeps the first prior of a key until it is dropped, across processes (reopen), and skips a torn tail", async () => {
    const file = path.join(tmp(), "priors", "t.jsonl");
    const j = openFileJournal(file);
    await j.record("PerUserMfa", "a@contoso.com", "disabled");
    await j.record("PerUserMfa", "a@contoso.com", "enforced");
    await j.record("PerUserMfa", "b@contoso.com", "enabled");
    await j.drop("PerUserMfa", "b@contoso.com");
    appendFileSync(file, '{"kind":"PerUserMfa","id":"c@contoso.com","pri');
    const again = openFileJournal(file);
    expect(again.get("PerUserMfa", "a@contoso.com")).toBe("disabled");
    expect(again.get("PerUserMfa", "b@contoso.com")).toBeUndefined();
    expect(again.get("PerUserMfa", "c@contoso.com")).toBeUndefined();
    expect(again.entries("PerUserMfa")).toEqual([{ id: "a@contoso.com", prior: "disabled" }]);
    // The first record of a new run compacts the file to its live entries before appending.
    await again.record("MailboxSmtpAuth", "d@contoso.com", "inherit");
    expect(readFileSync(file, "utf8").trim().split("\n")).toEqual([
      '{"kind":"PerUserMfa","id":"a@contoso.com","prior":"disabled"}',
      '{"kind":"MailboxSmtpAuth","id":"d@contoso.com","prior":"inherit"}',
    ]);
  });

  it("group-commits concurrent records and resolves each only once it is on disk", async () => {
    const file = path.join(tmp(), "t.jsonl");
    const j = openFileJournal(file);
    await Promise.all(Array.from({ length: 300 }, (_, i) => j.record("PerUserMfa", `u${i}@contoso.com`, "disabled")));
    expect(replayJournal(readFileSync(file, "utf8")).size).toBe(300);
  });

  it("a journal that cannot be written rejects the record, and create then makes no write", async () => {
    const journal = openFileJournal(path.join(tmp(), "ok.jsonl"));
    const broken = { ...journal, record: () => Promise.reject(new Error("cannot write the prior-value journal")) };
    const writes: string[] = [];
    const ctx = createProviderContext(
      fakeApi({
        getPerUserMfaMany: async (keys: string[]) =>
          new Map(keys.map((k): [string, PerUserMfaState] => [k, "disabled"])),
        setPerUserMfa: async (user: string) => void writes.push(user),
      }),
      "restore",
      {},
      broken,
    );
    await expect(KIND_PROVIDERS.PerUserMfa.create(ctx, { user: "a@contoso.com", state: "enforced" })).rejects.toThrow(
      "cannot write the prior-value journal",
    );
    expect(writes).toEqual([]);
  });

  it("lives beside a file backend, or where stack config says", () => {
    const env = { PULUMI_BACKEND_URL: "file:///srv/state?metadata=skip" };
    expect(journalPath({ tenantId: "Contoso.onmicrosoft.com", env, cwd: "/w" })).toBe(
      "/srv/state/.m365-smtp-auth/priors/contoso.onmicrosoft.com.jsonl",
    );
    expect(journalPath({ tenantId: "t1", configured: "j", env, cwd: "/w" })).toBe("/w/j/t1.jsonl");
    expect(journalPath({ tenantId: "t1", env: { PULUMI_BACKEND_URL: "azblob://state" }, cwd: "/w" })).toBe(
      "/w/.state/priors/t1.jsonl",
    );
    expect(fileBackendDir("file://~/state", "/home/me")).toBe("/home/me/state");
  });
});

describe("creates take a killed run's journaled prior, deletes restore it", () => {
  it("PerUserMfa: the tenant shows the killed run's write, the journal the original", async () => {
    const file = path.join(tmp(), "t.jsonl");
    const tenant = new Map<string, PerUserMfaState>([["a@contoso.com", "disabled"]]);
    const api = fakeApi({
      getPerUserMfaMany: async (keys: string[]) => new Map(keys.map((k) => [k, tenant.get(k)!])),
      setPerUserMfa: async (user: string, state: PerUserMfaState) => void tenant.set(user, state),
    });
    // The killed run: create journaled and wrote, the engine never checkpointed it.
    const killed = createProviderContext(api, "restore", NO_WAIT, openFileJournal(file));
    await KIND_PROVIDERS.PerUserMfa.create(killed, { user: "a@contoso.com", state: "enforced" });
    expect(tenant.get("a@contoso.com")).toBe("enforced");
    // The next run (a new process) adopts again.
    const next = createProviderContext(api, "restore", NO_WAIT, openFileJournal(file));
    const { outs } = await KIND_PROVIDERS.PerUserMfa.create(next, { user: "a@contoso.com", state: "enforced" });
    expect(outs.prior).toBe("disabled");
    await KIND_PROVIDERS.PerUserMfa.delete(next, "a@contoso.com", outs);
    expect(tenant.get("a@contoso.com")).toBe("disabled");
    expect(existsSync(file) ? replayJournal(readFileSync(file, "utf8")).size : 0).toBe(0);
  });

  it("OtherMailboxesSmtpAuth: a stray the killed run reset is still recorded", async () => {
    const file = path.join(tmp(), "t.jsonl");
    const tenant = new Map<string, CasMailbox["state"]>([
      ["a@contoso.com", "enabled"],
      ["b@contoso.com", "disabled"],
      ["c@contoso.com", "inherit"],
    ]);
    const api = fakeApi({
      listCasMailboxes: async () => [...tenant].map(([mailbox, state]) => ({ mailbox, state })),
      setCasMailbox: async (mailbox: string, state: CasMailbox["state"]) => void tenant.set(mailbox, state),
    });
    const killed = createProviderContext(api, "restore", NO_WAIT, openFileJournal(file));
    await KIND_PROVIDERS.OtherMailboxesSmtpAuth.create(killed, { declared: [], strays: [] });
    expect([...tenant.values()]).toEqual(["inherit", "inherit", "inherit"]);
    const next = createProviderContext(api, "restore", NO_WAIT, openFileJournal(file));
    const { outs } = await KIND_PROVIDERS.OtherMailboxesSmtpAuth.create(next, { declared: [], strays: [] });
    expect([...outs.reset].sort((x, y) => x.mailbox.localeCompare(y.mailbox))).toEqual([
      { mailbox: "a@contoso.com", prior: "enabled" },
      { mailbox: "b@contoso.com", prior: "disabled" },
    ]);
    await KIND_PROVIDERS.OtherMailboxesSmtpAuth.delete(next, "x", outs);
    expect([...tenant.values()]).toEqual(["enabled", "disabled", "inherit"]);
  });
  it("OtherUsersMfa: users the killed run raised keep their original prior, and delete restores them in $batch", async () => {
    const file = path.join(tmp(), "t.jsonl");
    const tenant = new Map<string, PerUserMfaState>([
      ["a@contoso.com", "disabled"],
      ["b@contoso.com", "enabled"],
      ["c@contoso.com", "enforced"],
      ["d@contoso.com", "disabled"],
    ]);
    const batches: number[] = [];
    const api = fakeApi({
      listUserPrincipalNames: async () => [...tenant.keys()].map((u) => u.toUpperCase()),
      getPerUserMfaMany: async (keys: string[]) =>
        new Map(keys.map((k): [string, PerUserMfaState] => [k, tenant.get(k)!])),
      setPerUserMfaMany: async (changes: { upn: string; state: PerUserMfaState }[]) => {
        batches.push(changes.length);
        for (const c of changes) tenant.set(c.upn, c.state);
        return new Set(changes.map((c) => c.upn));
      },
    });
    const inputs = { state: "enforced" as const, declared: ["d@contoso.com"], strays: [] };
    await KIND_PROVIDERS.OtherUsersMfa.create(
      createProviderContext(api, "restore", NO_WAIT, openFileJournal(file)),
      inputs,
    );
    expect([...tenant.values()]).toEqual(["enforced", "enforced", "enforced", "disabled"]);
    const next = createProviderContext(api, "restore", NO_WAIT, openFileJournal(file));
    const { outs } = await KIND_PROVIDERS.OtherUsersMfa.create(next, inputs);
    expect(outs.reset).toEqual([
      { user: "a@contoso.com", prior: "disabled" },
      { user: "b@contoso.com", prior: "enabled" },
    ]);
    await KIND_PROVIDERS.OtherUsersMfa.delete(next, "other-users-mfa", outs);
    expect([...tenant.values()]).toEqual(["disabled", "enabled", "enforced", "disabled"]);
    expect(batches).toEqual([2, 2]);
  });
});
