/**
 * `npm run bench [-- --sizes 1000,10000 --shapes A,B --naive-sample 40 --skip-floor]`
 *
 * The scale benchmark (issue 7): sandbox tenants of N users with mailboxes, realistic latency and
 * the documented throttling budgets, the real program through the real CLI. For each size and
 * desired shape (bench/tenant.ts): `up` from scratch, a no-change `preview --refresh` (the daily
 * drift check) and a `preview --refresh` with 10 drifted items. Each is measured (wall time, API
 * requests per endpoint, peak memory, state size) and compared with its lower bound (bench/bounds.ts
 * plus the engine's floor on the same number of no-op resources) and with a naive per-item
 * converger (bench/naive.ts). Prints a table and writes bench/results.md.
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { writeFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { parseArgs } from "node:util";
import { loadDesiredState, type DesiredState } from "../desired/tenant-yaml.ts";
import { mfaSatisfies } from "../m365/gates.ts";
import { connectTenant } from "../tenant/connect.ts";
import { readConnectionSettings } from "../tenant/connection.ts";
import { startSandbox, type Sandbox } from "../sandbox/server.ts";
import type { TenantState } from "../sandbox/model.ts";
import { projectRoot } from "../engine/pulumi-env.ts";
import { apiFloorSeconds, minimumCost, sustainedRates, type PhaseNeeds } from "./bounds.ts";
import { benchProject, type BenchProject } from "./harness.ts";
import type { Measured } from "./measure.ts";
import { estimateNaiveMs, sampleNaive, type NaiveSample } from "./naive.ts";
import { benchTenant, desiredYaml, devices, type DesiredShape } from "./tenant.ts";

const DEFAULT_OUT = path.join(projectRoot, "bench", "results.md");
const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000" },
    shapes: { type: "string", default: "A,B,C" },
    "naive-sample": { type: "string", default: "40" },
    "skip-floor": { type: "boolean", default: false },
    out: { type: "string", default: DEFAULT_OUT },
  },
});
const sizes = args.sizes.split(",").map(Number);
const shapes = args.shapes.split(",") as DesiredShape[];
const naiveSampleSize = Number(args["naive-sample"]);

// Every folder the program and its providers import at run time (issue 12 layout).
const PROGRAM_FILES = [
  "Pulumi.yaml",
  "package.json",
  "index.ts",
  "m365",
  "tenant",
  "program",
  "providers",
  "desired",
  "sandbox",
];

type PhaseName = "up" | "drift check" | "10 drifted";

interface PhaseResult {
  n: number;
  shape: DesiredShape;
  items: number;
  phase: PhaseName;
  wallS: number;
  summary: string;
  requests: Record<string, number>;
  totalRequests: number;
  cliPeak: number;
  nodePeak: number;
  /** Sum of every process's own peak in the CLI's tree: an upper bound of the tree's peak. */
  treePeakSum: number;
  stateBytes?: number;
  engineFloorS?: number;
  apiFloorS: number;
  apiFloorBy: string;
  naiveS?: number;
}

const results: PhaseResult[] = [];
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** The "Resources:" block of the CLI's summary, on one line. */
function resourceSummary(out: string): string {
  const m = /Resources:\n((?:[ \t]+.+\n?)+)/.exec(out);
  return m ? m[1]!.trim().split(/\n\s*/).join(", ") : "(no summary)";
}

function apiCounts(sandbox: Sandbox): { counts: Record<string, number>; total: number } {
  const counts: Record<string, number> = {};
  let total = 0;
  for (const e of sandbox.requestLog.entries()) {
    if (e.api === "token") continue;
    const key = e.batchItem !== undefined ? `  ($batch item) ${e.endpoint}` : e.endpoint;
    counts[key] = (counts[key] ?? 0) + 1;
    if (e.batchItem === undefined) total++;
  }
  return { counts, total };
}

function countWrites(tenant: TenantState, desired: DesiredState) {
  const byUpn = new Map(tenant.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
  const stateOf = (v: boolean | null) => (v === null ? "inherit" : v ? "disabled" : "enabled");
  let mailboxWrites = 0;
  for (const m of desired.mailboxes)
    if (stateOf(byUpn.get(m.mailbox)!.smtpClientAuthenticationDisabled) !== m.state) mailboxWrites++;
  const declared = new Set(desired.mailboxes.map((m) => m.mailbox));
  const allMailboxes = tenant.users.filter((u) => u.hasMailbox).map((u) => u.userPrincipalName.toLowerCase());
  let strays = 0;
  if (desired.othersPolicy === "inherit") {
    for (const m of allMailboxes)
      if (!declared.has(m) && byUpn.get(m)!.smtpClientAuthenticationDisabled !== null) strays++;
  }
  let mfaWrites = 0;
  const mfaOf = (t: TenantState["users"][number]) =>
    t.perUserMfa === "enabled" && t.mfaMethodRegistered ? "enforced" : t.perUserMfa;
  for (const u of desired.mfaUsers) if (!mfaSatisfies(u.state, mfaOf(byUpn.get(u.user)!))) mfaWrites++;
  // Issue 15.5: `mfa.others` raises every user not listed whose MFA falls short.
  const listed = new Set(desired.mfaUsers.map((u) => u.user));
  const undeclaredUsers = tenant.users.filter((u) => !listed.has(u.userPrincipalName.toLowerCase()));
  if (desired.mfaOthers !== "unmanaged") {
    const state = desired.mfaOthers;
    mfaWrites += undeclaredUsers.filter((u) => !mfaSatisfies(state, mfaOf(u))).length;
  }
  return {
    mailboxWrites,
    strays,
    mfaWrites,
    undeclaredMailboxes: allMailboxes.length - declared.size,
    undeclaredUsers: desired.mfaOthers === "unmanaged" ? 0 : undeclaredUsers.length,
  };
}

async function engineFloor(
  items: number,
): Promise<{ up: number; preview: number; stateBytes: number; cliPeak: number; nodePeak: number }> {
  const project = await benchProject({
    source: path.join(projectRoot, "bench", "noop"),
    files: ["Pulumi.yaml", "index.ts"],
    env: {},
    config: { "bench-noop:count": String(items) },
  });
  try {
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    const stateBytes = project.stateBytes();
    const preview = await project.ok(["preview", "--refresh"]);
    return {
      up: up.wallMs / 1000,
      preview: preview.wallMs / 1000,
      stateBytes,
      cliPeak: Math.max(up.cliPeak, preview.cliPeak),
      nodePeak: Math.max(up.nodePeak, preview.nodePeak),
    };
  } finally {
    project.cleanup();
  }
}

/** Changes 5 declared mailboxes and 5 users' MFA out of band, as an admin would in the portal. */
function drift(sandbox: Sandbox, desired: DesiredState) {
  const mailboxes = desired.mailboxes.slice(0, 5);
  for (const m of mailboxes) {
    const u = sandbox.store.findUser(m.mailbox)!;
    sandbox.store.updateUser(u.id, { smtpClientAuthenticationDisabled: m.state === "disabled" ? false : true });
  }
  const users = desired.mfaUsers.slice(desired.mfaUsers.length - 5);
  for (const d of users) {
    const u = sandbox.store.findUser(d.user)!;
    sandbox.store.updateUser(u.id, { perUserMfa: d.state === "disabled" ? "enforced" : "disabled" });
  }
}

// The sandbox runs in this process: trust its CA for the naive baseline's fetches.
const trustSandboxCa = (pem: string) => tls.setDefaultCACertificates([...tls.getCACertificates("default"), pem]);

async function scenario(n: number, shape: DesiredShape) {
  const tenant = benchTenant(n);
  const sandbox = await startSandbox({
    fixture: tenant,
    latency: "realistic",
    throttle: true,
    smtp: false,
    log: () => {},
  });
  // Issue 13: the real service's shape — full-size Exchange objects (the sandbox's default now) and a
  // per-tenant cap on concurrent Exchange requests (9, Exchange Online PowerShell's last published
  // PowerShellMaxTenantConcurrency); refusals beyond it are retried by the client like the real ones.
  sandbox.throttler.configure({ exchangeConcurrency: 9 });
  const { yaml, items } = desiredYaml(tenant, shape);
  let project: BenchProject | undefined;
  try {
    const e = sandbox.env;
    project = await benchProject({
      source: projectRoot,
      files: PROGRAM_FILES,
      env: { NODE_EXTRA_CA_CERTS: sandbox.caCertPath },
      config: {
        "m365-smtp-auth:tenantId": e.M365_TENANT_ID!,
        "m365-smtp-auth:clientId": e.M365_CLIENT_ID!,
        "m365-smtp-auth:authorityHost": e.M365_AUTHORITY_HOST!,
        "m365-smtp-auth:graphUrl": e.M365_GRAPH_URL!,
        "m365-smtp-auth:exchangeUrl": e.M365_EXCHANGE_URL!,
      },
      secretConfig: { "m365-smtp-auth:clientSecret": e.M365_CLIENT_SECRET! },
    });
    const tenantFile = path.join(project.dir, "stacks", "bench", "tenant.yaml");
    mkdirSync(path.dirname(tenantFile), { recursive: true });
    writeFileSync(tenantFile, yaml);
    const desired = loadDesiredState(tenantFile);
    const w = countWrites(tenant, desired);
    const reads: PhaseNeeds = {
      mailboxes: desired.mailboxes.length,
      othersListing: desired.othersPolicy === "inherit",
      mfaUsers: desired.mfaUsers.length + w.undeclaredUsers,
      userListingPages: desired.mfaOthers === "unmanaged" ? 0 : Math.ceil(tenant.users.length / 999),
      mailboxWrites: 0,
      mfaWrites: 0,
      devices: devices(tenant).length,
    };
    const record = (phase: PhaseName, m: Measured, needs: PhaseNeeds, extra: Partial<PhaseResult> = {}) => {
      const { counts, total } = apiCounts(sandbox);
      const floor = apiFloorSeconds(minimumCost(needs), tenant.users.length);
      const r: PhaseResult = {
        n,
        shape,
        items,
        phase,
        wallS: m.wallMs / 1000,
        summary: resourceSummary(m.stdout),
        requests: counts,
        totalRequests: total,
        cliPeak: m.cliPeak,
        nodePeak: m.nodePeak,
        treePeakSum: m.treePeakSum,
        apiFloorS: floor.seconds,
        apiFloorBy: floor.by,
        ...extra,
      };
      results.push(r);
      log(
        `N=${n} ${shape} ${phase}: ${r.wallS.toFixed(1)} s, ${total} requests, ${r.summary}; CLI ${(m.cliPeak / 2 ** 20).toFixed(0)} MB, node ${(m.nodePeak / 2 ** 20).toFixed(0)} MB, tree ≤ ${(m.treePeakSum / 2 ** 20).toFixed(0)} MB`,
      );
      sandbox.requestLog.clear();
      return r;
    };

    log(
      `N=${n} ${shape}: ${items} resources; up from scratch (${w.mailboxWrites + w.strays} mailbox and ${w.mfaWrites} MFA writes due)`,
    );
    sandbox.requestLog.clear();
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    const upResult = record(
      "up",
      up,
      { ...reads, mailboxWrites: w.mailboxWrites + w.strays, mfaWrites: w.mfaWrites },
      { stateBytes: project.stateBytes() },
    );

    log(`N=${n} ${shape}: drift check (no change)`);
    const check = await project.ok(["preview", "--refresh"]);
    const checkResult = record("drift check", check, reads);

    drift(sandbox, desired);
    log(`N=${n} ${shape}: drift check with 10 drifted items`);
    const drifted = await project.ok(["preview", "--refresh"]);
    const driftResult = record("10 drifted", drifted, reads);

    // Naive baseline: sampled per-request times, one at a time, on the same tenant.
    sandbox.throttler.restore();
    const conn: Record<string, string | undefined> = {
      tenantId: e.M365_TENANT_ID,
      clientId: e.M365_CLIENT_ID,
      clientSecret: e.M365_CLIENT_SECRET,
      authorityHost: e.M365_AUTHORITY_HOST,
      graphUrl: e.M365_GRAPH_URL,
      exchangeUrl: e.M365_EXCHANGE_URL,
    };
    trustSandboxCa(sandbox.caPem);
    const settings = readConnectionSettings((k) => conn[k]);
    const api = await connectTenant(settings);
    const sample: NaiveSample = await sampleNaive(api, desired, naiveSampleSize);
    const gets = {
      mailboxGets: desired.mailboxes.length + (reads.othersListing ? w.undeclaredMailboxes : 0),
      mfaGets: desired.mfaUsers.length + w.undeclaredUsers,
    };
    upResult.naiveS =
      estimateNaiveMs(sample, { ...gets, mailboxSets: w.mailboxWrites + w.strays, mfaSets: w.mfaWrites }) / 1000;
    checkResult.naiveS = estimateNaiveMs(sample, { ...gets, mailboxSets: 0, mfaSets: 0 }) / 1000;
    driftResult.naiveS = checkResult.naiveS;
    log(
      `N=${n} ${shape}: naive per request: GET mailbox ${sample.getMailboxMs.toFixed(0)} ms, GET MFA ${sample.getMfaMs.toFixed(0)} ms, SET mailbox ${sample.setMailboxMs.toFixed(0)} ms, SET MFA ${sample.setMfaMs.toFixed(0)} ms`,
    );

    if (!args["skip-floor"]) {
      log(`N=${n} ${shape}: engine floor on ${items} no-op resources`);
      const floor = await engineFloor(items);
      upResult.engineFloorS = floor.up;
      checkResult.engineFloorS = floor.preview;
      driftResult.engineFloorS = floor.preview;
      log(
        `N=${n} ${shape}: engine floor up ${floor.up.toFixed(1)} s, preview --refresh ${floor.preview.toFixed(1)} s, state ${floor.stateBytes} bytes`,
      );
    }
  } finally {
    project?.cleanup();
    await sandbox.stop();
  }
}

const started = performance.now();
for (const n of sizes) {
  for (const shape of shapes) {
    await scenario(n, shape);
  }
}
const totalS = (performance.now() - started) / 1000;

// ---- report ------------------------------------------------------------------------------------

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const s = (x: number | undefined) => (x === undefined ? "–" : x < 10 ? x.toFixed(1) : x.toFixed(0));
function machine(): string[] {
  const cliVersion = execFileSync(path.join(projectRoot, ".tools", "bin", "pulumi"), ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  }).trim();
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  return [
    `- CPU: ${cpus().length} × ${cpus()[0]?.model ?? "?"} (nproc ${execFileSync("nproc", { encoding: "utf8" }).trim()})`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${/MemAvailable:\s+(\d+)/.exec(meminfo)?.[1]} kB available at the end)`,
    `- Node.js ${process.version}; Pulumi CLI ${cliVersion}; @pulumi/pulumi ${(JSON.parse(readFileSync(path.join(projectRoot, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version}`,
    `- Environment: PULUMI_SKIP_CHECKPOINTS=${process.env.PULUMI_SKIP_CHECKPOINTS ?? "true (bench/harness.ts: the large-tenant setting)"}`,
    `- Shared machine: other engineers' tests may run at the same time; compare ratios within one run.`,
  ];
}

const header = [
  "N",
  "desired",
  "items",
  "phase",
  "wall s",
  "bound s",
  "ratio",
  "engine floor s",
  "API floor s (budget)",
  "÷ API floor",
  "naive s",
  "× naive",
  "requests",
  "CLI peak",
  "node peak",
  "tree peaks sum",
  "state B/item",
  "summary",
];
const rows = results.map((r) => {
  const bound = r.engineFloorS === undefined ? undefined : r.engineFloorS + r.apiFloorS;
  return [
    String(r.n),
    r.shape,
    String(r.items),
    r.phase,
    s(r.wallS),
    s(bound),
    bound === undefined ? "–" : `${(r.wallS / bound).toFixed(2)}×`,
    s(r.engineFloorS),
    `${s(r.apiFloorS)} (${r.apiFloorBy})`,
    r.apiFloorS > 0 ? `${(r.wallS / r.apiFloorS).toFixed(1)}×` : "–",
    s(r.naiveS),
    r.naiveS === undefined ? "–" : `${(r.naiveS / r.wallS).toFixed(0)}×`,
    String(r.totalRequests),
    mb(r.cliPeak),
    mb(r.nodePeak),
    mb(r.treePeakSum),
    r.stateBytes === undefined ? "" : `${(r.stateBytes / r.items).toFixed(0)}`,
    r.summary,
  ];
});
const table = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
const requestLines = results.map(
  (r) =>
    `- N=${r.n} ${r.shape} ${r.phase}: ${Object.entries(r.requests)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join("; ")}`,
);
const rates = sustainedRates(10_000);
const md = [
  "# Scale benchmark results",
  "",
  `Generated by \`npm run bench -- --sizes ${args.sizes} --shapes ${args.shapes}${args.out === DEFAULT_OUT ? "" : ` --out ${path.relative(projectRoot, args.out)}`}\` in ${(totalS / 60).toFixed(1)} min. Do not edit; run it again.`,
  "",
  "## Machine",
  "",
  ...machine(),
  "",
  "## Results",
  "",
  table,
  "",
  "- *÷ API floor* = wall time over the API floor alone (issue 15.5 asks the drift check of shape C to stay within 2×).",
  "- *bound* = engine floor (the same command on the same number of no-op dynamic resources, bench/noop) + API floor (the requests the phase must make divided by the sustained throttling budget they are charged to; bench/bounds.ts).",
  `- Budgets (sandbox/runtime/throttle.ts \`documentedBudgets\`, fact sheet §3.4; Exchange per sandbox/README.md): Graph ${rates.graphResourceUnits} RU/s, ${rates.graphWrites} writes/s, Exchange ${rates.exchange.toFixed(2)} calls/s, Conditional Access ${rates.conditionalAccess}/s. Buckets start full, so short phases can beat the sustained-rate figure.`,
  `- *naive* = one GET (and SET when needed) per item, one at a time, on tenant/api.ts; per-request times measured on ${naiveSampleSize} requests of each kind and multiplied by the phase's request counts (bench/naive.ts).`,
  "- Peak memory is each process's VmHWM: *CLI* is the `pulumi` process, *node* the largest Node.js process (program or dynamic-provider host), *tree peaks sum* the sum of every process's own peak in the CLI's tree (an upper bound of what the tree held at any one time).",
  "",
  "## API requests per endpoint",
  "",
  ...requestLines,
  "",
].join("\n");
writeFileSync(args.out, md);
console.log(table);
console.log(`\nwritten to ${path.relative(projectRoot, args.out)} (${(totalS / 60).toFixed(1)} min)`);
