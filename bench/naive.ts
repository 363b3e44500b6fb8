/**
 * The baseline: a naive per-item converger on tenant/api.ts, one request at a time — for
 * each declared item one GET and, when the value differs, one SET; for `others: inherit`, one GET of
 * every undeclared mailbox. No bulk reads, no batching, no concurrency.
 *
 * Running it over 20,000 items takes hours at realistic latency, so the benchmark runs it over a
 * sample of each kind of request and extrapolates linearly (`estimate`): one at a time, a run's time
 * is the sum of its requests' times.
 */
import type { DesiredState } from "../desired/tenant-yaml.ts";
import { mfaSatisfies } from "../m365/gates.ts";
import type { TenantApi } from "../tenant/api.ts";

export interface NaiveSample {
  /** Mean milliseconds per request, by kind. */
  getMailboxMs: number;
  getMfaMs: number;
  setMailboxMs: number;
  setMfaMs: number;
  samples: number;
}

async function meanMs(items: string[], call: (item: string) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (const item of items) await call(item);
  return (performance.now() - started) / Math.max(1, items.length);
}

/** Times `sample` requests of each kind, one at a time. SETs write the value already there. */
export async function sampleNaive(api: TenantApi, desired: DesiredState, sample: number): Promise<NaiveSample> {
  const mailboxes = desired.mailboxes.slice(0, sample).map((m) => m.mailbox);
  const users = desired.mfaUsers.slice(0, sample).map((u) => u.user);
  const current = new Map<string, Awaited<ReturnType<TenantApi["getCasMailbox"]>>>();
  const getMailboxMs = await meanMs(mailboxes, async (m) => current.set(m, await api.getCasMailbox(m)));
  const mfa = new Map<string, Awaited<ReturnType<TenantApi["getPerUserMfa"]>>>();
  const getMfaMs = await meanMs(users, async (u) => mfa.set(u, await api.getPerUserMfa(u)));
  const setMailboxMs = await meanMs(mailboxes, (m) => api.setCasMailbox(m, current.get(m)!.state));
  const setMfaMs = await meanMs(users, (u) => api.setPerUserMfa(u, mfa.get(u)!));
  return { getMailboxMs, getMfaMs, setMailboxMs, setMfaMs, samples: Math.min(mailboxes.length, users.length) };
}

/** The naive converger's time for a phase with these request counts, from the sampled means. */
export function estimateNaiveMs(
  s: NaiveSample,
  n: { mailboxGets: number; mfaGets: number; mailboxSets: number; mfaSets: number },
): number {
  return (
    n.mailboxGets * s.getMailboxMs + n.mfaGets * s.getMfaMs + n.mailboxSets * s.setMailboxMs + n.mfaSets * s.setMfaMs
  );
}

/**
 * The naive converger itself, over every item (used with --naive-full and by its test): returns
 * how many GETs and SETs it made.
 */
export async function naiveConverge(
  api: TenantApi,
  desired: DesiredState,
  allMailboxes: string[],
): Promise<{ gets: number; sets: number }> {
  let gets = 0;
  let sets = 0;
  for (const m of desired.mailboxes) {
    gets++;
    if ((await api.getCasMailbox(m.mailbox)).state !== m.state) {
      sets++;
      await api.setCasMailbox(m.mailbox, m.state);
    }
  }
  if (desired.othersPolicy === "inherit") {
    const declared = new Set(desired.mailboxes.map((m) => m.mailbox));
    for (const m of allMailboxes) {
      if (declared.has(m)) continue;
      gets++;
      if ((await api.getCasMailbox(m)).state !== "inherit") {
        sets++;
        await api.setCasMailbox(m, "inherit");
      }
    }
  }
  for (const u of desired.mfaUsers) {
    gets++;
    if (!mfaSatisfies(u.state, await api.getPerUserMfa(u.user))) {
      sets++;
      await api.setPerUserMfa(u.user, u.state);
    }
  }
  return { gets, sets };
}
