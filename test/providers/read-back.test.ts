/** Read-back confirmation and the write journal (providers/read-back.ts), with scripted reads and a fake clock. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { MailboxSmtpAuthState } from "../../m365/model.ts";
import { createReadBack, type FreshReads } from "../../providers/read-back.ts";

/** Reads answered from `shown`; every call recorded. */
function replica(shown: Map<string, MailboxSmtpAuthState>) {
  const calls: string[] = [];
  const reads: FreshReads = {
    one: async (m) => (calls.push(`one ${m}`), shown.get(m)),
    all: async () => (calls.push("all"), new Map(shown)),
  };
  return { reads, calls };
}

function journalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "read-back-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "tenant.json");
}

const noWait = { schedule: [0, 0, 0], sleep: async () => {} };

describe("createReadBack", () => {
  it("a write the read shows is confirmed in one round; nothing is journalled", async () => {
    const shown = new Map<string, MailboxSmtpAuthState>([["a@x", "enabled"]]);
    const { reads, calls } = replica(shown);
    const rb = createReadBack(reads, noWait);
    await rb.confirm("a@x", "enabled", "disabled");
    expect(calls).toEqual(["one a@x"]);
    expect(rb.pending().size).toBe(0);
  });

  it("writes of one window are read together; above the bulk threshold through one listing", async () => {
    const shown = new Map<string, MailboxSmtpAuthState>(["a@x", "b@x", "c@x"].map((m) => [m, "inherit"]));
    const { reads, calls } = replica(shown);
    const rb = createReadBack(reads, { ...noWait, bulkThreshold: 2 });
    await Promise.all(["a@x", "b@x", "c@x"].map((m) => rb.confirm(m, "inherit", "enabled")));
    expect(calls).toEqual(["all"]);
  });

  it("a write still unseen after the schedule is journalled, not failed, and outranks the lagging read", async () => {
    let clock = 1_000;
    const file = journalFile();
    const shown = new Map<string, MailboxSmtpAuthState>([["a@x", "disabled"]]);
    const { reads, calls } = replica(shown);
    const opts = { ...noWait, file, now: () => clock, trustMs: 60_000 };
    await createReadBack(reads, opts).confirm("a@x", "enabled", "disabled");
    expect(calls).toEqual(["one a@x", "one a@x", "one a@x"]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      "a@x": { state: "enabled", prior: "disabled", at: 1_000 },
    });

    // Another process (a later refresh) reads the journal.
    const later = createReadBack(reads, opts);
    clock += 30_000;
    expect(later.reconcile("a@x", "disabled")).toBe("enabled");
    // A third value is real drift: reported, and the entry dropped.
    expect(later.reconcile("a@x", "inherit")).toBe("inherit");
    expect(later.reconcile("a@x", "disabled")).toBe("disabled");
    await Promise.resolve();
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({});
  });

  it("the journal is trusted only for trustMs, and a read showing our value confirms it", async () => {
    let clock = 0;
    const { reads } = replica(new Map([["a@x", "disabled"]]));
    const rb = createReadBack(reads, { ...noWait, now: () => clock, trustMs: 60_000 });
    await rb.confirm("a@x", "enabled", "disabled");
    await rb.confirm("b@x", "enabled", "inherit");
    clock = 60_000;
    expect(rb.reconcile("a@x", "disabled")).toBe("disabled");
    expect(rb.reconcile("b@x", "enabled")).toBe("enabled");
    expect(rb.pending().size).toBe(0);
  });

  it("two writes to one mailbox in a window keep the value from before the first; a failed read-back does not fail the write", async () => {
    const reads: FreshReads = {
      one: async () => {
        throw new Error("read-back refused");
      },
      all: async () => {
        throw new Error("read-back refused");
      },
    };
    const rb = createReadBack(reads, {
      ...noWait,
      schedule: [5, 0],
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    await Promise.all([rb.confirm("a@x", "enabled", "disabled"), rb.confirm("a@x", "inherit", "enabled")]);
    expect(rb.pending().get("a@x")).toMatchObject({ state: "inherit", prior: "disabled" });
  });
});

describe("the read-back listing under a long stream of writes", () => {
  it("keeps one listing in flight and shares the next among every round that needs a later one", async () => {
    // 600 mailboxes written a few at a time over many windows; each listing takes 5 ticks.
    const shown = new Map<string, MailboxSmtpAuthState>(
      Array.from({ length: 600 }, (_, i) => [`m${i}@x`, "inherit"] as const),
    );
    let inFlight = 0;
    let maxInFlight = 0;
    let listings = 0;
    const tick = () => new Promise<void>((r) => setImmediate(r));
    const reads: FreshReads = {
      one: async (m) => shown.get(m),
      all: async () => {
        listings++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        for (let i = 0; i < 5; i++) await tick();
        inFlight--;
        return new Map(shown);
      },
    };
    const rb = createReadBack(reads, { schedule: [0, 0, 0, 0], sleep: tick, bulkThreshold: 50 });
    const confirms: Promise<void>[] = [];
    for (let i = 0; i < 600; i += 3) {
      for (let j = i; j < i + 3; j++) confirms.push(rb.confirm(`m${j}@x`, "inherit", "enabled"));
      await tick();
    }
    await Promise.all(confirms);
    expect(rb.pending().size).toBe(0);
    expect(maxInFlight).toBe(1);
    // 200 windows of writes: a listing per round would be hundreds; sharing keeps it near windows ÷ 5.
    expect(listings).toBeLessThan(60);
  });
});
