/**
 * The blind-written probe sets (test/doctor/blind/*.yaml): error reports in the style of public help
 * threads, written by a session that never saw the rules. Not real reports, so they stay out of the
 * corpus and its figures; each file's header records its first score, before any rule changed.
 * Thresholds sit just below the measured figures; a rule change that lowers them fails here.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus, rightWithin } from "../../cli/doctor/calibration.ts";
import { CAUSE_IDS } from "../../cli/doctor/causes.ts";
import { diagnose } from "../../cli/doctor/diagnose.ts";

const cases = loadCorpus(join(import.meta.dirname, "blind"));

describe("blind-written probe sets", () => {
  it("are well formed: unique ids, known causes, no live secrets", () => {
    expect(cases.length).toBeGreaterThanOrEqual(3920);
    // Ids are unique within a set (two writers may pick the same one).
    expect(new Set(cases.map((c) => `${c.file}:${c.id}`)).size).toBe(cases.length);
    for (const c of cases) {
      expect(CAUSE_IDS, c.id).toContain(c.expected);
      for (const a of c.acceptable ?? []) expect(CAUSE_IDS, c.id).toContain(a);
      // A password given as an environment reference (${SMTP_PASSWORD}, ENV['SMTP_PASS']) is no secret, nor
      // a status code after "the new password:", nor os.environ.get / process.env, nor "(blank)", nor an empty
      // value ("password =" with the next key on the next line). "AUTH OAUTHBEARER <base64 of n,a=…>" is no token,
      // nor the reporter's note "password: correct" or "Password: rotated two weeks ago", a masked "••••", a button ("Password: Change") or a
      // reference to where the secret lives (settings.smtp_password, Elixir's {:system, "SMTP_PASSWORD"}, a file
      // given to kubectl: password=smtp-pass.txt; an App Service Key Vault reference, @Microsoft.KeyVault(…); Home Assistant's "!secret outlook_pw"; "Password: stored in wp-config"). Invented passwords in the sets are masked
      // but for the character a report is about ("********$dor***": a $ that compose interpolates).
      expect(c.text).not.toMatch(
        /\bBearer [A-Za-z0-9._-]{40,}|password[ \t]*[:=][ \t]*['"]?(?!\*|<|\(|null|\[|\$\{|\$[a-z_]|ENV\[|@Microsoft\.KeyVault\(|\{:system,|[\w-]+\.txt\b|\d\.\d|os\.environ|os\.getenv|process\.env|getenv|!secret\b|correct|checked|verified|right\b|reset\b|changed\b|change\b|rotated\b|signed\b|stored\b|•|[a-z_]+\.[a-z_])[^\s'"]{6,}/iu,
      );
    }
  });

  it("diagnose ranks the expected cause (or an acceptable one) first and in the top two", () => {
    let top1 = 0;
    let top2 = 0;
    const misses: string[] = [];
    for (const c of cases) {
      const labels = [c.expected, ...(c.acceptable ?? [])];
      const causes = diagnose(c.text).causes;
      if (rightWithin(causes, labels, 1)) top1++;
      else
        misses.push(
          `  ${c.file}:${c.id}: expected ${c.expected}, got ${causes
            .slice(0, 2)
            .map((x) => x.id)
            .join(" > ")}`,
        );
      if (rightWithin(causes, labels, 2)) top2++;
    }
    console.log(`doctor blind probes: ${cases.length} cases, top-1 ${top1}, top-2 ${top2}\n${misses.join("\n")}`);
    // Measured: 3853/3920 and 3891/3920 since a reply-less text lists its leads before `unknown` (3826 and 3893
    // before, counting positions only); after the classes of each first score's misses were fixed (the reply-less sets
    // 33, 36 and 39 keep most of the rest: their words often cannot decide).
    expect(top1 / cases.length).toBeGreaterThanOrEqual(0.97);
    expect(top2 / cases.length).toBeGreaterThanOrEqual(0.985);
    // 4,160 diagnoses: about 25 s on a shared two-core machine, past the default budget under load.
  }, 180_000);
});
