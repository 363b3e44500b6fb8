/**
 * `npm start`: the main job, on the sandbox tenant.
 *
 * 1. Starts the sandbox tenant (state kept in .sandbox/, so a second run sees what the first did),
 *    seeded as the support article's failing tenant.
 * 2. Tries to send as the scan-to-email device and shows Exchange's reply and the doctor's reading.
 * 3. Runs `pulumi up` on the `sandbox` stack, whose desired state is stacks/sandbox/tenant.yaml.
 * 4. Sends again.
 * Run again, it finds nothing to change and says so.
 *
 * `npm start -- --oauth` (issue 8) converges the same failing device mailbox through the OAuth path
 * instead, on stack `sandbox-oauth` (stacks/sandbox-oauth/tenant.yaml) with its own sandbox state in
 * .sandbox-oauth/: security defaults and per-user MFA stay on, the device's existing app is
 * registered in Exchange and given FullAccess, and the device sends with AUTH XOAUTH2.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { diagnose } from "../cli/doctor/diagnose.ts";
import { loadDesiredState } from "../desired/tenant-yaml.ts";
import { portInUseMessage, readPorts, writePorts } from "../sandbox/ports-file.ts";
import { startSandbox, type Sandbox } from "../sandbox/server.ts";
import { policyPackProblem } from "../engine/policy-pack.ts";
import { projectRoot, pulumiEnv, resolvePulumiBinary } from "../engine/pulumi-env.ts";
import { printReadinessSummary } from "../cli/usage/summary.ts";
import { previewProgress } from "./preview-progress.ts";
import { sendOnce, sendWithXoauth2, type SendResult } from "./xoauth2.ts";

const OAUTH = process.argv.slice(2).includes("--oauth");
const STACK = OAUTH ? "sandbox-oauth" : "sandbox";
const DEVICE = "scanner@contoso.com";
const stateDir = path.join(projectRoot, OAUTH ? ".sandbox-oauth" : ".sandbox");

function say(line = "") {
  process.stdout.write(`${line}\n`);
}

/** One SMTP submission as the device does it: STARTTLS, AUTH LOGIN, one message. */
async function sendAsDevice(sandbox: Sandbox): Promise<SendResult> {
  const device = sandbox.store.findUser(DEVICE);
  if (!device?.smtpPassword || !sandbox.smtp) throw new Error(`the sandbox has no SMTP password for ${DEVICE}`);
  return sendOnce(
    {
      host: sandbox.smtp.host,
      port: sandbox.smtp.port,
      secure: false,
      requireTLS: true,
      tls: { ca: sandbox.caPem, servername: "localhost" },
      auth: { user: DEVICE, pass: device.smtpPassword },
    },
    {
      from: DEVICE,
      to: "alice@contoso.com",
      subject: "Scanned document",
      text: "Scan-to-email test from m365-smtp-auth's sandbox.",
    },
  );
}

/** --oauth: the device's app from the stack's tenant.yaml sends with XOAUTH2; its secret is sandbox test data. */
async function sendAsDeviceWithOAuth(sandbox: Sandbox): Promise<SendResult> {
  const desired = loadDesiredState(path.join(projectRoot, "stacks", STACK, "tenant.yaml"));
  const app = desired.oauthApps.find((a) => a.mailbox === DEVICE);
  if (app?.kind !== "existing")
    throw new Error(`stacks/${STACK}/tenant.yaml declares no existing OAuth app for ${DEVICE}`);
  const secret = sandbox.store.findApp(app.appId)?.secrets[0];
  if (!secret || !sandbox.smtp) throw new Error(`the sandbox has no client secret for app ${app.appId}`);
  return sendWithXoauth2({
    tenantId: sandbox.env.M365_TENANT_ID!,
    clientId: app.appId,
    clientSecret: secret,
    authorityHost: sandbox.env.M365_AUTHORITY_HOST!,
    smtpHost: sandbox.smtp.host,
    smtpPort: sandbox.smtp.port,
    ca: sandbox.caPem,
    servername: "localhost",
    mailbox: DEVICE,
    to: "alice@contoso.com",
  });
}

async function report(sandbox: Sandbox, when: string) {
  const result = OAUTH ? await sendAsDeviceWithOAuth(sandbox) : await sendAsDevice(sandbox);
  if (result.ok) {
    say(`  ${when}: ${DEVICE} sends through SMTP AUTH${OAUTH ? " (XOAUTH2)" : ""}: ${result.response}`);
    return true;
  }
  say(`  ${when}: ${DEVICE} cannot send${OAUTH ? " with XOAUTH2" : ""}: ${result.reply}`);
  const top = diagnose(result.reply).causes.slice(0, 3);
  for (const cause of top) say(`    doctor: ${cause.id} (${Math.round(cause.confidence * 100)}%) ${cause.reason}`);
  return false;
}

/**
 * Runs the CLI. `capture` keeps stdout (and hands each line to `onLine`); `stdin`, when given, is
 * written to its standard input (how secrets are passed).
 */
function pulumi(
  bin: string,
  env: NodeJS.ProcessEnv,
  args: string[],
  opts: { capture?: boolean; stdin?: string; onLine?: (line: string) => void } = {},
) {
  const { capture = false, stdin, onLine } = opts;
  return new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const stackArgs = args[0] === "stack" ? [] : ["--stack", STACK];
    const child = spawn(bin, [...args, ...stackArgs, "--non-interactive"], {
      cwd: projectRoot,
      env,
      stdio: [stdin === undefined ? "ignore" : "pipe", capture ? "pipe" : "inherit", "inherit"],
    });
    child.stdin?.end(stdin);
    let stdout = "";
    let partial = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!onLine) return;
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });
}

async function main(): Promise<number> {
  const bin = resolvePulumiBinary();
  const packProblem = policyPackProblem(path.join(projectRoot, "policies"));
  if (packProblem) throw new Error(packProblem);
  say(`Starting the sandbox tenant (Microsoft 365 stand-in on 127.0.0.1; state in ${path.basename(stateDir)}/)`);
  // The stack's provider config records the endpoints, and refresh uses the recorded ones, so the
  // sandbox keeps the ports it got the first time.
  const ports = readPorts(stateDir);
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      fixture: "contoso-failing",
      stateDir,
      latency: "none",
      port: ports.https,
      smtp: { port: ports.smtp },
    });
  } catch (err) {
    throw new Error(portInUseMessage(err, stateDir) ?? (err instanceof Error ? err.message : String(err)));
  }
  writePorts(stateDir, { https: Number(new URL(sandbox.baseUrl).port), smtp: sandbox.smtp?.port ?? 0 });
  try {
    say(
      `  token service, Graph and Exchange admin API at ${sandbox.baseUrl}; SMTP at ${sandbox.smtp?.host}:${sandbox.smtp?.port}`,
    );
    say();
    say("1. The scan-to-email device tries to send");
    await report(sandbox, "before");
    say();

    say(`2. pulumi up on stack '${STACK}' (desired state: stacks/${STACK}/tenant.yaml)`);
    const env = pulumiEnv({ ...process.env, NODE_EXTRA_CA_CERTS: sandbox.caCertPath }, bin);
    const fail = (step: string, code: number) => {
      say(`pulumi ${step} failed (exit ${code})`);
      return code;
    };
    let r = await pulumi(bin, env, ["stack", "select", "--create", STACK], { capture: true });
    if (r.code !== 0) return fail("stack select", r.code);
    const e = sandbox.env;
    r = await pulumi(bin, env, [
      "config",
      "set-all",
      "--plaintext",
      `m365-smtp-auth:tenantId=${e.M365_TENANT_ID}`,
      "--plaintext",
      `m365-smtp-auth:clientId=${e.M365_CLIENT_ID}`,
      "--plaintext",
      `m365-smtp-auth:authorityHost=${e.M365_AUTHORITY_HOST}`,
      "--plaintext",
      `m365-smtp-auth:graphUrl=${e.M365_GRAPH_URL}`,
      "--plaintext",
      `m365-smtp-auth:exchangeUrl=${e.M365_EXCHANGE_URL}`,
    ]);
    if (r.code !== 0) return fail("config set-all", r.code);
    // The secret goes through standard input, never the command line (visible in ps and CI logs).
    r = await pulumi(bin, env, ["config", "set", "--secret", "m365-smtp-auth:clientSecret"], {
      capture: true,
      stdin: e.M365_CLIENT_SECRET,
    });
    if (r.code !== 0) return fail("config set --secret", r.code);

    const policyPack = ["--policy-pack", path.join(projectRoot, "policies")];
    // Issue 16.8: never silent. The event stream says what the preview finds as it finds it.
    say("  previewing (refresh + policy pack)…");
    const progress = previewProgress((line) => say(`    ${line}`));
    const streaming = { ...env, PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" };
    const preview = await pulumi(bin, streaming, ["preview", "--refresh", "--json", ...policyPack], {
      capture: true,
      onLine: (l) => progress.line(l),
    });
    if (preview.code !== 0) {
      for (const problem of progress.problems()) say(`  ${problem}`);
      return fail("preview", preview.code);
    }
    const changes = Object.entries(progress.changes()).filter(([op, n]) => op !== "same" && n > 0);
    if (changes.length === 0) {
      say("  Nothing to change: the tenant already matches the desired state.");
    } else {
      r = await pulumi(bin, env, ["up", "--yes", "--refresh", "--skip-preview", ...policyPack]);
      if (r.code !== 0) return fail("up", r.code);
    }
    say();
    say("3. The device tries again");
    const ok = await report(sandbox, "after");
    if (OAUTH) {
      // The point of the OAuth path: the tenant stays protected, so a password still gets nowhere.
      const basic = await sendAsDevice(sandbox);
      say(
        basic.ok
          ? `  note: ${DEVICE} can also send with a password (AUTH LOGIN); the OAuth path did not need that`
          : `  with a password (AUTH LOGIN) it is still refused, as it should be: ${basic.reply}`,
      );
    }
    // Issue 15: the question every admin has before the end of December 2026, answered from the
    // tenant's sign-in logs (read-only), with this stack's declared exceptions.
    say();
    say("4. Who still signs in to SMTP AUTH, and what breaks at the deadlines");
    await printReadinessSummary({
      env: sandbox.env,
      caPem: sandbox.caPem,
      tenantFile: path.join("stacks", STACK, "tenant.yaml"),
      write: (line) => say(`  ${line}`),
    });
    return ok ? 0 : 1;
  } finally {
    await sandbox.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
