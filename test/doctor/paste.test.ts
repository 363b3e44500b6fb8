/**
 * `doctor diagnose` with no text on a terminal prompts for a paste. readPaste's end conditions are
 * tested on a stream; the prompt itself through a real pseudo-terminal (util-linux `script`), so
 * main.ts's TTY detection is exercised as a user meets it.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PASTE_PROMPT, readPaste } from "../../cli/doctor/paste.ts";

const TENANT =
  "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";

async function paste(chunks: string[], end: boolean): Promise<{ text: string; prompt: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let prompt = "";
  output.on("data", (b: Buffer) => (prompt += b.toString()));
  const p = readPaste(input, output);
  for (const c of chunks) input.write(c);
  if (end) input.end();
  return { text: await p, prompt };
}

describe("readPaste", () => {
  it("ends at two empty lines in a row, keeping single blank lines of the paste", async () => {
    const r = await paste(["Error: Invalid login:\n", "\n", `${TENANT}\n`, "\n", "\n", "not read\n"], false);
    expect(r.text).toBe(`Error: Invalid login:\n\n${TENANT}`);
    expect(r.prompt).toBe(PASTE_PROMPT);
  });

  it("ends at end of input", async () => {
    expect((await paste([`${TENANT}\r\n`, "second line"], true)).text).toBe(`${TENANT}\nsecond line`);
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;
const root = join(import.meta.dirname, "..", "..");

describe.skipIf(!hasScript)("the paste prompt on a terminal", () => {
  it("prompts, reads the paste up to two empty lines and diagnoses it", async () => {
    const node = process.execPath;
    const child = spawn("script", ["-qec", `${node} cli/main.ts doctor diagnose`, "/dev/null"], {
      cwd: root,
      env: { ...process.env, COLUMNS: "90", TERM: "dumb" },
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    const code = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Wait for the prompt before pasting, as a person would.
    for (let i = 0; i < 100 && !out.includes("Paste the error text"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain("Paste the error text, then press Enter twice (or Ctrl-D):");
    child.stdin.write(`Error: Invalid login: ${TENANT}\n`);
    child.stdin.write("\n");
    child.stdin.write("\n");
    expect(await code).toBe(0);
    expect(out).toMatch(/1\. smtp_auth_disabled_tenant {2}\(\d+%\) {2}SMTP AUTH is disabled for the organisation/u);
    child.stdin.destroy();
  }, 20_000);
});
