/**
 * `m365-smtp-auth doctor probe`: runs the SMTP conversation (cli/doctor/probe.ts), prints the
 * transcript with secrets masked, and diagnoses the reply that ended it with diagnose(); with
 * `--explain` it also reads the tenant and lets the gates decide between causes the reply alone
 * cannot tell apart. Exit codes: 0 every step succeeded, 1 a step failed or the host/tenant could
 * not be reached, 2 bad arguments.
 */
import { scopesFor } from "../../tenant/connection.ts";
import type { SmtpReply } from "../../m365/gates.ts";
import { UsageError, parse, port, readCa, secretFromEnv, str, type CliIo } from "../io.ts";
import { CAUSES, type CauseId } from "./causes.ts";
import { diagnose, type Diagnosis } from "./diagnose.ts";
import { applyProbeEvidence, buildReport, formatExplain, type ExplainReport, type ProbeEvidence } from "./explain.ts";
import { gatherFacts } from "../../tenant/facts.ts";
import { formatHuman, formatJson, toJson } from "./format.ts";
import { failureText, runProbe, scrub, secretForms, type ProbeAuth, type ProbeResult } from "./probe.ts";
import {
  CONNECTION_OPTIONS,
  TokenError,
  clientCredentialsToken,
  connect,
  settingsFrom,
  trustCa,
} from "../connection.ts";

export const PROBE_USAGE = `usage: m365-smtp-auth doctor probe --user MAILBOX [--password-env VAR | --password-stdin] [options]
       m365-smtp-auth doctor probe --user MAILBOX --auth xoauth2 --client-id ID --client-secret-env VAR [options]

Runs the real SMTP submission conversation (EHLO, STARTTLS, EHLO, AUTH, optionally a test message),
prints the transcript with the password or token masked, and diagnoses the reply that ended it.

  --host HOST               SMTP host (default $M365_SMTP_HOST or smtp.office365.com)
  --port PORT               SMTP port (default $M365_SMTP_PORT or 587)
  --ca FILE                 also trust this CA certificate (PEM); system CAs are always trusted
  --user MAILBOX            the mailbox to authenticate as (omit to only check EHLO and STARTTLS)
  --auth login|xoauth2      AUTH mechanism (default login)
  --password-env VAR        AUTH LOGIN: read the password from environment variable VAR
  --password-stdin          AUTH LOGIN: read the password from stdin (first line)
  --send-test               after AUTH, send a tiny test message
  --from ADDR               its sender (default --user)
  --to ADDR                 its recipient (default --from)
  --explain                 after a failure, read the tenant (M365_* environment, as for
                            'doctor explain') so the gates decide between causes the reply alone
                            cannot tell apart
  --timeout SECONDS         per step (default 30)
  --ehlo NAME               name sent with EHLO
  --json                    print {"probe":{…,"transcript":[…]},"diagnosis"?,"explain"?}
  -h, --help                show this help

XOAUTH2 token (client credentials, scope https://outlook.office365.com/.default):
  --token-env VAR           use the access token in VAR instead of requesting one
  --tenant ID               tenant id or primary domain (default $M365_TENANT_ID)
  --client-id ID            the sending app's client id (required)
  --client-secret-env VAR   environment variable holding its secret (required)
  --authority-host URL      token service (default $M365_AUTHORITY_HOST or login.microsoftonline.com)

Passwords and secrets are never taken from the command line.
`;

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  ca: { type: "string" },
  user: { type: "string" },
  auth: { type: "string" },
  "password-env": { type: "string" },
  "password-stdin": { type: "boolean" },
  "send-test": { type: "boolean" },
  from: { type: "string" },
  to: { type: "string" },
  explain: { type: "boolean" },
  timeout: { type: "string" },
  ehlo: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  "token-env": { type: "string" },
  ...CONNECTION_OPTIONS,
} as const;

const HINTS = {
  "--password": "passwords are never taken from the command line: use --password-env VAR or --password-stdin",
  "--client-secret": "secrets are never taken from the command line: use --client-secret-env VAR",
  "--token": "tokens are never taken from the command line: use --token-env VAR",
};

/** The reply as gates.ts writes it, from the probe's final SMTP reply. */
export function smtpReplyOf(result: ProbeResult): SmtpReply | null {
  const r = result.failure?.reply;
  if (!r) return null;
  const last = r.lines[r.lines.length - 1] ?? "";
  const m = /^(\d\.\d{1,3}\.\d{1,3})\s+(.*)$/u.exec(last);
  return { code: r.code, enhanced: m?.[1] ?? "", text: (m?.[2] ?? last).trim() };
}

/** Puts `id` first (the tenant's settings confirm it), keeping the others in order, scaled below it. */
export function confirmCause(d: Diagnosis, id: CauseId, reason: string): Diagnosis {
  const existing = d.causes.find((c) => c.id === id);
  const c = CAUSES[id];
  const top = {
    ...(existing ?? {
      id,
      title: c.title,
      check: c.check,
      fix: c.fix,
      weakensTenant: c.weakensTenant,
      ...(c.tenantYaml !== undefined ? { tenantYaml: c.tenantYaml } : {}),
    }),
    confidence: 0.9,
    reason,
  };
  const rest = d.causes.filter((x) => x.id !== id);
  const sum = rest.reduce((s, x) => s + x.confidence, 0);
  const scaled = rest.map((x) => ({
    ...x,
    confidence: sum > 0 ? Math.round((x.confidence / sum) * 0.1 * 100) / 100 : 0,
  }));
  return { ...d, causes: [top, ...scaled.filter((x) => x.confidence >= 0.02)] };
}

function formatTranscript(result: ProbeResult): string {
  return result.transcript.map((l) => `${l.at} ${l.dir === "*" ? "* " : `${l.dir}:`} ${l.text}`).join("\n");
}

/** Runs `doctor probe` with its arguments (after the word `probe`). Returns the exit code. */
export async function runProbeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, HINTS);
  if (values.help === true) {
    io.stdout(PROBE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const host = str(values, "host") ?? io.env.M365_SMTP_HOST ?? "smtp.office365.com";
  const portValue = str(values, "port") ?? io.env.M365_SMTP_PORT ?? "587";
  const smtpPort = port(portValue, str(values, "port") !== undefined ? "--port" : "M365_SMTP_PORT");
  const timeout = str(values, "timeout");
  if (timeout !== undefined && !(Number(timeout) > 0))
    throw new UsageError(`--timeout must be a number of seconds, got '${timeout}'`);
  const ca = str(values, "ca") !== undefined ? readCa(str(values, "ca")!) : undefined;
  if (ca !== undefined) trustCa(ca); // the token service and the tenant, too
  const mechanism = (str(values, "auth") ?? "login").toLowerCase();
  if (mechanism !== "login" && mechanism !== "xoauth2")
    throw new UsageError(`--auth must be login or xoauth2, got '${str(values, "auth")}'`);
  const user = str(values, "user");
  const sendTest = values["send-test"] === true;
  if (sendTest && user === undefined && str(values, "from") === undefined)
    throw new UsageError("--send-test needs --from (or --user)");
  if (!sendTest && (str(values, "from") !== undefined || str(values, "to") !== undefined)) {
    throw new UsageError("--from and --to only apply with --send-test");
  }

  const auth = await probeAuth(values, io, user, mechanism);
  const secrets = secretForms(auth);

  const from = str(values, "from") ?? user ?? "";
  const result = await runProbe({
    host,
    port: smtpPort,
    ...(ca !== undefined ? { ca } : {}),
    ...(str(values, "ehlo") !== undefined ? { ehlo: str(values, "ehlo")! } : {}),
    timeoutMs: timeout !== undefined ? Number(timeout) * 1000 : 30_000,
    auth,
    ...(sendTest ? { send: { from, to: str(values, "to") ?? from } } : {}),
    now: io.now,
  });

  const text = failureText(result);
  let diagnosis: Diagnosis | null = text !== null ? diagnose(text) : null;
  let explain: ExplainReport | null = null;
  let explainError: string | null = null;
  if (values.explain === true && result.failure && auth !== null && (result.failure.reply || result.authenticated)) {
    try {
      const api = await connect(settingsFrom({}, io));
      const mech = auth.mechanism === "LOGIN" ? "basic" : "oauth";
      const today = io.now().toISOString().slice(0, 10);
      const appId = auth.mechanism === "XOAUTH2" ? str(values, "client-id") : undefined;
      const gathered = await gatherFacts(api, auth.user, {
        mechanism: mech,
        today,
        ...(appId !== undefined ? { appId } : {}),
      });
      const reply = smtpReplyOf(result);
      const evidence: ProbeEvidence | undefined = result.authenticated
        ? { authenticated: true }
        : reply
          ? { authenticated: false, reply }
          : undefined;
      explain = buildReport(auth.user, evidence ? applyProbeEvidence(gathered, evidence) : gathered, {
        today,
        ...(evidence ? { probe: evidence } : {}),
      });
      if (diagnosis && explain.cause && explain.probe?.consistent) {
        const gate = explain.gates.find((g) => g.blocking);
        diagnosis = confirmCause(
          diagnosis,
          explain.cause,
          `the tenant's settings confirm it: ${gate?.reason ?? explain.cause}`,
        );
      }
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`--explain: ${err.message}`);
      explainError = err instanceof Error ? err.message : String(err);
    }
  }

  const mech = auth === null ? "no AUTH" : `AUTH ${auth.mechanism} as ${auth.user}`;
  if (values.json === true) {
    const doc = {
      probe: {
        host: result.host,
        port: result.port,
        mechanism: result.mechanism,
        ok: result.ok,
        authenticated: result.authenticated,
        messageAccepted: result.messageAccepted,
        tls: result.tls,
        authMechanisms: result.authMechanisms,
        failure: result.failure
          ? {
              stage: result.failure.stage,
              ...(result.failure.reply ? { reply: result.failure.reply.raw } : {}),
              ...(result.failure.error ? { error: result.failure.error } : {}),
            }
          : null,
        transcript: result.transcript,
      },
      ...(diagnosis ? { diagnosis: toJson(diagnosis) } : {}),
      ...(explain ? { explain } : {}),
      ...(explainError ? { explainError } : {}),
    };
    io.stdout(scrub(`${JSON.stringify(doc, null, 2)}\n`, secrets));
  } else {
    const out: string[] = [`SMTP probe of ${host}:${smtpPort} (${mech})`, "", formatTranscript(result), ""];
    if (result.ok) {
      out.push(
        `Result: every step succeeded${result.authenticated ? " — authenticated" : ""}${result.messageAccepted ? ", test message accepted" : ""}.`,
      );
    } else {
      const f = result.failure!;
      out.push(`Result: failed at ${f.stage}: ${f.reply ? f.reply.raw.split("\n").pop() : f.error!.message}`);
    }
    if (diagnosis) {
      out.push("", "Diagnosis:", formatHuman(diagnosis).trimEnd());
    }
    if (explain) out.push("", "Tenant (--explain):", formatExplain(explain).trimEnd());
    if (explainError) out.push("", `Tenant (--explain) could not be read: ${explainError}`);
    io.stdout(scrub(`${out.join("\n")}\n`, secrets));
  }
  if (result.failure?.error && (result.failure.stage === "connect" || result.failure.stage === "greeting")) {
    io.stderr(`m365-smtp-auth doctor probe: cannot reach ${host}:${smtpPort}: ${result.failure.error.message}\n`);
  }
  if (!result.ok) return 1;
  return 0;
}

/** The credentials the probe presents: a password (AUTH LOGIN) or a token (XOAUTH2), never from argv. */
async function probeAuth(
  values: ReturnType<typeof parse>["values"],
  io: CliIo,
  user: string | undefined,
  mechanism: string,
): Promise<ProbeAuth> {
  let auth: ProbeAuth = null;
  if (user !== undefined) {
    if (mechanism === "login") {
      const passwordEnv = str(values, "password-env");
      if (passwordEnv !== undefined && values["password-stdin"] === true) {
        throw new UsageError("give either --password-env or --password-stdin, not both");
      }
      let password: string;
      if (passwordEnv !== undefined) password = secretFromEnv(io, passwordEnv, "--password-env");
      else if (values["password-stdin"] === true) {
        const stdin = (await io.readStdin()) ?? "";
        password = stdin.split(/\r?\n/u)[0] ?? "";
        if (password === "") throw new UsageError("--password-stdin: no password on stdin");
      } else {
        throw new UsageError("AUTH LOGIN needs a password: --password-env VAR or --password-stdin");
      }
      auth = { mechanism: "LOGIN", user, password };
    } else {
      const tokenEnv = str(values, "token-env");
      let token: string;
      if (tokenEnv !== undefined) token = secretFromEnv(io, tokenEnv, "--token-env");
      else {
        if (str(values, "client-id") === undefined)
          throw new UsageError("--auth xoauth2 needs --client-id (or --token-env)");
        if (str(values, "client-secret-env") === undefined)
          throw new UsageError("--auth xoauth2 needs --client-secret-env VAR (or --token-env)");
        const settings = settingsFrom(values, io, false);
        try {
          token = await clientCredentialsToken(settings, scopesFor(settings).exchange);
        } catch (err) {
          if (!(err instanceof TokenError)) throw err;
          // The token service's refusal (AADSTS…) is itself diagnosable.
          io.stdout(
            values.json === true
              ? formatJson(diagnose(err.message))
              : `Diagnosis:\n${formatHuman(diagnose(err.message))}`,
          );
          throw err;
        }
      }
      auth = { mechanism: "XOAUTH2", user, token };
    }
  } else if (str(values, "password-env") !== undefined || values["password-stdin"] === true) {
    throw new UsageError("--password-env/--password-stdin need --user");
  }
  return auth;
}
