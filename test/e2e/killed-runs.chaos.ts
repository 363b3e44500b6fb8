/**
 * Killed applies, many times over (issue 17.1), through the real CLI against the sandbox tenant:
 * `up` of CHAOS_ITEMS generated users (default 300) is killed with SIGKILL at CHAOS_KILLS points
 * (default 5) spread over its writes, each followed by the README's recovery (`cancel`, `refresh
 * --clear-pending-creates`); a last `up` completes. Then every recorded prior must equal the
 * tenant's original value, and `destroy` must put every original value back.
 *
 * Run with `npm run test:chaos` (bounded for CI); `CHAOS_ITEMS=1000 npm run test:chaos` for the
 * figures in the README. Not part of `npm test`: it takes minutes.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantState, TenantUser } from "../../sandbox/model.ts";
import { startProgram, type ProgramUnderTest } from "../helpers/program.ts";

const ITEMS = Number(process.env.CHAOS_ITEMS ?? 300);
const KILLS = Number(process.env.CHAOS_KILLS ?? 5);

/** MFA as Graph reports it: `enabled` with a registered method reads back as `enforced`. */
const mfaOf = (u: TenantUser) => (u.perUserMfa === "enabled" && u.mfaMethodRegistered ? "enforced" : u.perUserMfa);
const smtpOf = (u: TenantUser) =>
  u.smtpClientAuthenticationDisabled === null ? "inherit" : u.smtpClientAuthenticationDisabled ? "disabled" : "enabled";
const generated = (s: Readonly<TenantState>) => s.users.filter((u) => /^user\d+@/.test(u.userPrincipalName));

/** Every generated user's MFA flipped; every 5th mailbox flipped; the rest of the mailboxes `others: inherit`. */
function desiredYaml(state: Readonly<TenantState>): { yaml: string; writes: number } {
  const flipMfa = { disabled: "enforced", enabled: "disabled", enforced: "disabled" } as const;
  const flipSmtp = { inherit: "disabled", disabled: "inherit", enabled: "disabled" } as const;
  const mailboxes: string[] = [];
  const users: string[] = [];
  let writes = 0;
  generated(state).forEach((u, i) => {
    const upn = u.userPrincipalName.toLowerCase();
    users.push(`    ${upn}: ${flipMfa[mfaOf(u)]}`);
    writes++;
    if (u.hasMailbox && i % 5 === 0) {
      mailboxes.push(`    ${upn}: ${flipSmtp[smtpOf(u)]}`);
      writes++;
    } else if (u.hasMailbox && smtpOf(u) !== "inherit") writes++; // a stray that others: inherit resets
  });
  const yaml = [
    "securityDefaults:",
    "  enabled: false",
    '  reason: "chaos test"',
    "  riskAcceptance: { owner: it-security@contoso.com, ticket: RISK-1, expires: 2027-06-30 }",
    "smtpAuth:",
    "  organization: disabled",
    "  mailboxes:",
    ...mailboxes,
    "  others: inherit",
    "mfa:",
    "  users:",
    ...users,
    "",
  ].join("\n");
  return { yaml, writes };
}

/** How many generated users' MFA or SMTP AUTH value differs from `initial` now. */
function changedSince(program: ProgramUnderTest, initial: Map<string, TenantUser>): number {
  let n = 0;
  for (const u of generated(program.sandbox.store.read())) {
    const before = initial.get(u.id)!;
    if (mfaOf(u) !== mfaOf(before)) n++;
    if (smtpOf(u) !== smtpOf(before)) n++;
  }
  return n;
}

/** The count once it has not moved for a second (writes in flight at a kill land or fail). */
async function settledCount(program: ProgramUnderTest, initial: Map<string, TenantUser>): Promise<number> {
  let last = -1;
  for (;;) {
    const now = changedSince(program, initial);
    if (now === last) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

interface Checkpoint {
  deployment: {
    resources?: { type: string; outputs?: Record<string, unknown> }[];
    pending_operations?: unknown[];
  };
}

describe(`killed applies: ${ITEMS} users, ${KILLS} kills`, { timeout: 30 * 60_000 }, () => {
  let program: ProgramUnderTest;
  let initial: Map<string, TenantUser>;
  let writes = 0;
  const figures: string[] = [];

  beforeAll(async () => {
    program = await startProgram({
      sandbox: { latency: "realistic", generate: { users: ITEMS, seed: 17 } },
      tenantYaml: "securityDefaults:\n  enabled: true\n",
    });
    const state = program.sandbox.store.read();
    initial = new Map(structuredClone(state.users).map((u) => [u.id, u]));
    const desired = desiredYaml(state);
    writes = desired.writes;
    program.writeTenantYaml(desired.yaml);
  });
  afterAll(async () => {
    console.log(figures.join("\n"));
    await program.stop();
  });

  it("after kills and the README's recovery, every prior is the original value", async () => {
    for (let k = 1; k <= KILLS; k++) {
      // Spread the kills over what is left: the k-th run is killed 1/(kills left + 1) of the way.
      const start = changedSince(program, initial);
      // Writes already sent land after a kill: when none is left, there is nothing to interrupt.
      if (start >= writes) {
        figures.push(`kill ${k}: none, all ${writes} writes had landed`);
        break;
      }
      const target = start + Math.max(1, Math.floor((writes - start) / (KILLS - k + 2)));
      const child: ChildProcess = program.start(["up", "--yes", "--skip-preview"]);
      let printed = "";
      child.stdout!.on("data", (d: Buffer) => (printed += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (printed += d.toString()));
      let exited = false;
      const done = new Promise((resolve) => child.on("exit", () => resolve((exited = true))));
      while (!exited && changedSince(program, initial) < target) await new Promise((r) => setTimeout(r, 10));
      const killed = !exited;
      if (killed) process.kill(-child.pid!, "SIGKILL");
      const atKill = changedSince(program, initial);
      await done;
      // Requests the sandbox had already received still land (as they would at Microsoft).
      const landed = await settledCount(program, initial);
      // A run that ended on its own before its kill point, or a kill before any write, tests nothing.
      expect(killed, `up ${k} ended before its kill point:\n${printed}`).toBe(true);
      expect(landed).toBeGreaterThan(start);
      await program.ok(["cancel", "--yes"]);
      const before = JSON.parse((await program.ok(["stack", "export"])).stdout) as Checkpoint;
      await program.ok(["refresh", "--yes", "--clear-pending-creates"]);
      figures.push(
        `kill ${k}: ${landed} of ~${writes} writes in the tenant (${atKill} seen at the kill), ` +
          `${before.deployment.resources?.length ?? 0} resources checkpointed, ` +
          `${before.deployment.pending_operations?.length ?? 0} pending creates cleared`,
      );
    }
    const started = Date.now();
    await program.ok(["up", "--yes", "--skip-preview"]);
    figures.push(`final up: ${Math.round((Date.now() - started) / 1000)} s`);

    const exported = JSON.parse((await program.ok(["stack", "export"])).stdout) as Checkpoint;
    const byUpn = new Map([...initial.values()].map((u) => [u.userPrincipalName.toLowerCase(), u]));
    const wrong: string[] = [];
    let priors = 0;
    for (const r of exported.deployment.resources ?? []) {
      const o = r.outputs ?? {};
      const kind = r.type.split(":").pop();
      if (kind === "PerUserMfa") {
        priors++;
        if (o.prior !== mfaOf(byUpn.get(o.user as string)!)) wrong.push(`${String(o.user)} mfa ${String(o.prior)}`);
      } else if (kind === "MailboxSmtpAuth") {
        priors++;
        const want = smtpOf(byUpn.get(o.mailbox as string)!);
        if (o.prior !== want) wrong.push(`${String(o.mailbox)} smtp ${String(o.prior)}`);
      } else if (kind === "OtherMailboxesSmtpAuth") {
        const reset = new Map((o.reset as { mailbox: string; prior: string }[]).map((x) => [x.mailbox, x.prior]));
        const declared = new Set(o.declared as string[]);
        for (const u of byUpn.values()) {
          const upn = u.userPrincipalName.toLowerCase();
          if (!u.hasMailbox || declared.has(upn) || smtpOf(u) === "inherit") continue;
          priors++;
          if (reset.get(upn) !== smtpOf(u)) wrong.push(`${upn} others ${String(reset.get(upn))}`);
        }
      }
    }
    figures.push(`priors checked: ${priors}, wrong: ${wrong.length}`);
    expect(priors).toBeGreaterThanOrEqual(ITEMS);
    expect(wrong).toEqual([]);
    expect(exported.deployment.pending_operations ?? []).toEqual([]);
  });

  it("destroy puts every original value back", async () => {
    await program.ok(["destroy", "--yes", "--skip-preview"]);
    const notRestored = generated(program.sandbox.store.read()).flatMap((u) => {
      const before = initial.get(u.id)!;
      return [
        ...(mfaOf(u) === mfaOf(before) ? [] : [`${u.userPrincipalName} mfa ${mfaOf(u)} != ${mfaOf(before)}`]),
        ...(smtpOf(u) === smtpOf(before) ? [] : [`${u.userPrincipalName} smtp ${smtpOf(u)} != ${smtpOf(before)}`]),
      ];
    });
    figures.push(`after destroy, not restored: ${notRestored.length}`);
    expect(notRestored).toEqual([]);
  });
});
