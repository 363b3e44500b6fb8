/**
 * The sandbox's SMTP endpoint driven into each gate of DESIGN.md, one tenant state per gate:
 * `doctor probe` must name the gate's cause as its top cause (from the reply alone where the reply
 * names it, with --explain where only the tenant's settings can decide), and `doctor explain` must
 * mark the same gate as the one that blocks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox/server.ts";
import type { TenantState, TenantUser } from "../../sandbox/model.ts";
import type { GateId } from "../../m365/gates.ts";
import type { CauseId } from "../../cli/doctor/causes.ts";
import type { ExplainReport } from "../../cli/doctor/explain.ts";
import { OAUTH_APP, RECEPTION, SCANNER, SCANNER_PASSWORD, run, startDoctorSandbox, tenantWith } from "./helpers.ts";

let sb: Sandbox;
let base: TenantState;

beforeAll(async () => {
  sb = await startDoctorSandbox();
  base = sb.store.snapshot();
});
afterAll(async () => {
  await sb?.stop();
});

const SECRETS = { SCANNER_PW: SCANNER_PASSWORD, WRONG_PW: "not-the-password", OAUTH_SECRET: OAUTH_APP.secret };

interface Case {
  gate: GateId;
  /** The cause id `probe` must rank first. */
  cause: CauseId;
  mechanism: "basic" | "oauth";
  mutate: (t: TenantState, scanner: TenantUser) => void;
  /** The reply names the cause by itself (no --explain needed). */
  textAlone: boolean;
  /** The password the device uses (basic). */
  password?: keyof typeof SECRETS;
  /** Explain needs the probe (--password-env) to see this gate. */
  explainNeedsProbe?: boolean;
}

const CASES: Case[] = [
  {
    gate: "mailbox_unlicensed_or_missing",
    cause: "mailbox_unlicensed_or_missing",
    mechanism: "basic",
    textAlone: false,
    mutate: (_t, s) => void (s.licenses = []),
  },
  // No cause id of its own: a disabled account is the "blocked sign-in" half of account_locked.
  {
    gate: "account_disabled",
    cause: "account_locked",
    mechanism: "basic",
    // "account has an issue" is a rule of its own since issue 14 (cli/doctor/replies.ts).
    textAlone: true,
    mutate: (_t, s) => void (s.accountEnabled = false),
  },
  {
    gate: "wrong_credentials",
    cause: "wrong_credentials",
    mechanism: "basic",
    textAlone: true,
    password: "WRONG_PW",
    explainNeedsProbe: true,
    mutate: () => {},
  },
  {
    gate: "account_locked",
    cause: "account_locked",
    mechanism: "basic",
    textAlone: true,
    explainNeedsProbe: true,
    mutate: (_t, s) => void (s.locked = true),
  },
  {
    gate: "security_defaults_enabled",
    cause: "security_defaults_enabled",
    mechanism: "basic",
    textAlone: true,
    mutate: (t) => void (t.securityDefaultsEnabled = true),
  },
  {
    gate: "conditional_access_block",
    cause: "conditional_access_block",
    mechanism: "basic",
    textAlone: false,
    mutate: (t) =>
      void t.conditionalAccessPolicies.push({
        id: "8b1f0000-0000-4000-8000-00000000ca01",
        displayName: "Block legacy authentication",
        state: "enabled",
        clientAppTypes: ["exchangeActiveSync", "other"],
        includeUsers: ["All"],
        excludeUsers: [],
        builtInControls: ["block"],
      }),
  },
  {
    gate: "per_user_mfa",
    cause: "per_user_mfa",
    mechanism: "basic",
    textAlone: true,
    mutate: (_t, s) => void (s.perUserMfa = "enforced"),
  },
  {
    gate: "smtp_auth_disabled_mailbox",
    cause: "smtp_auth_disabled_mailbox",
    mechanism: "basic",
    textAlone: true,
    mutate: (_t, s) => void (s.smtpClientAuthenticationDisabled = true),
  },
  {
    gate: "smtp_auth_disabled_tenant",
    cause: "smtp_auth_disabled_tenant",
    mechanism: "basic",
    textAlone: true,
    mutate: (_t, s) => void (s.smtpClientAuthenticationDisabled = null),
  },
  {
    gate: "authentication_policy_blocks_basic_smtp",
    cause: "authentication_policy_blocks_basic_smtp",
    mechanism: "basic",
    textAlone: false,
    mutate: (_t, s) => void (s.authenticationPolicy = "Block Basic Auth"),
  },
  {
    gate: "basic_auth_disabled_or_retired",
    cause: "basic_auth_disabled_or_retired",
    mechanism: "basic",
    textAlone: true,
    explainNeedsProbe: true,
    mutate: (t) => void (t.basicAuthSmtpRetired = true),
  },
  {
    gate: "oauth_misconfigured_app_or_sp",
    cause: "oauth_misconfigured_app_or_sp",
    mechanism: "oauth",
    textAlone: true,
    mutate: (t) => void (t.exchangeServicePrincipals = []),
  },
  // XOAUTH2 without mailbox permission: Exchange answers the same 5.7.3; the cause catalogue files it under oauth_misconfigured_app_or_sp.
  {
    gate: "send_as_permission",
    cause: "oauth_misconfigured_app_or_sp",
    mechanism: "oauth",
    textAlone: true,
    mutate: (t) => void (t.mailboxPermissions = []),
  },
];

function probeArgs(c: Case): string[] {
  const common = ["doctor", "probe", "--ca", sb.caCertPath, "--user", SCANNER, "--json"];
  if (c.mechanism === "oauth") {
    return [...common, "--auth", "xoauth2", "--client-id", OAUTH_APP.appId, "--client-secret-env", "OAUTH_SECRET"];
  }
  return [...common, "--password-env", c.password ?? "SCANNER_PW"];
}

interface ProbeJson {
  probe: {
    ok: boolean;
    authenticated: boolean;
    failure: { stage: string; reply?: string } | null;
    transcript: { dir: string; text: string }[];
  };
  diagnosis?: { causes: { id: string; confidence: number; reason: string }[] };
  explain?: ExplainReport;
}

describe("every gate, through the sandbox's SMTP endpoint", () => {
  beforeEach(() => {
    sb.store.replace(tenantWith(base));
  });

  it("the healthy tenant passes: probe authenticates and sends, explain finds nothing blocking", async () => {
    const p = await run(sb, [...probeArgs(CASES[0]!), "--send-test", "--to", RECEPTION], SECRETS);
    expect(p.code).toBe(0);
    const doc = JSON.parse(p.out) as ProbeJson & { probe: { messageAccepted: boolean } };
    expect(doc.probe).toMatchObject({ ok: true, authenticated: true, messageAccepted: true, failure: null });
    expect(doc.diagnosis).toBeUndefined();
    expect(sb.messages.at(-1)).toMatchObject({ from: SCANNER, to: [RECEPTION] });

    const e = await run(
      sb,
      ["doctor", "explain", SCANNER, "--ca", sb.caCertPath, "--password-env", "SCANNER_PW", "--json"],
      SECRETS,
    );
    expect(e.code).toBe(0);
    const r = JSON.parse(e.out) as ExplainReport;
    expect(r).toMatchObject({
      allowed: true,
      complete: true,
      blockingGate: null,
      probe: { authenticated: true, consistent: true },
    });
  });

  it.each(CASES)("$gate ($mechanism): probe ranks $cause first, explain marks $gate", async (c) => {
    sb.store.replace(tenantWith(base, c.mutate));

    // probe with --explain: the tenant's settings decide what the reply alone cannot.
    const p = await run(sb, [...probeArgs(c), "--explain"], SECRETS);
    expect(p.err).toBe("");
    expect(p.code).toBe(1);
    const doc = JSON.parse(p.out) as ProbeJson;
    expect(doc.probe.failure?.stage).toBe("auth");
    expect(doc.diagnosis?.causes[0]?.id).toBe(c.cause);
    expect(doc.explain?.blockingGate).toBe(c.gate);
    expect(doc.explain?.probe?.consistent).toBe(true);

    // probe from the reply alone
    const alone = await run(sb, probeArgs(c), SECRETS);
    const top = (JSON.parse(alone.out) as ProbeJson).diagnosis!.causes[0]!.id;
    // Where the reply is shared with other gates, --explain is what decides.
    expect(top === c.cause).toBe(c.textAlone);

    // explain
    const explainArgs = ["doctor", "explain", SCANNER, "--ca", sb.caCertPath, "--json"];
    if (c.mechanism === "oauth") explainArgs.push("--app-id", OAUTH_APP.appId);
    // Without a probe explain sees every gate but password, lockout and retirement.
    const without = JSON.parse((await run(sb, explainArgs, SECRETS)).out) as ExplainReport;
    expect(without.blockingGate).toBe(c.explainNeedsProbe ? null : c.gate);
    if (c.explainNeedsProbe) explainArgs.push("--password-env", c.password ?? "SCANNER_PW");
    const e = await run(sb, explainArgs, SECRETS);
    expect(e.err).toBe("");
    expect(e.code).toBe(0);
    const r = JSON.parse(e.out) as ExplainReport;
    expect(r.blockingGate).toBe(c.gate);
    expect(r.gates.filter((g) => g.blocking).map((g) => g.id)).toEqual([c.gate]);
    expect(r.gates.find((g) => g.id === c.gate)?.status).toBe("block");
    expect(r.cause).toBe(c.cause);
    expect(r.change?.gate).toBe(c.gate);
  });

  it("send_as_permission per message: --send-test from another mailbox is refused at DATA and named", async () => {
    const p = await run(
      sb,
      [
        "doctor",
        "probe",
        "--ca",
        sb.caCertPath,
        "--user",
        SCANNER,
        "--password-env",
        "SCANNER_PW",
        "--send-test",
        "--from",
        RECEPTION,
        "--to",
        SCANNER,
        "--json",
      ],
      SECRETS,
    );
    expect(p.code).toBe(1);
    const doc = JSON.parse(p.out) as ProbeJson;
    expect(doc.probe).toMatchObject({ authenticated: true, failure: { stage: "data" } });
    expect(doc.probe.failure?.reply).toMatch(/^554 5\.2\.0 STOREDRV\.Submission\.Exception:SendAsDeniedException/u);
    expect(doc.diagnosis?.causes[0]?.id).toBe("send_as_permission");
  });
});
