/**
 * Metamorphic properties over every corpus case (issue 14 item 7): the top cause must not change
 * when the same error is shown another way (transforms.ts), nor when the text is cut off after the
 * word that decides it. The pass rate is printed; thresholds sit just below the measured figures.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus, rightWithin } from "../../cli/doctor/calibration.ts";
import { diagnose } from "../../cli/doctor/diagnose.ts";
import { TRANSFORMS } from "./transforms.ts";

const cases = loadCorpus(join(import.meta.dirname, "corpus"));
/**
 * The finding: the first cause listed, or `unknown` when it holds the most confidence (a text with no
 * reply lists its words' leads before `unknown`; those leads may move with the words, the finding not).
 */
const top = (text: string, context?: string) => {
  const causes = diagnose(text, { context }).causes;
  return rightWithin(causes, ["unknown"], 1) ? "unknown" : causes[0]!.id;
};

/** Word-boundary offsets of the text (the end of each word). */
function wordEnds(text: string): number[] {
  return [...text.matchAll(/\S+/gu)].map((m) => m.index + m[0].length);
}

/**
 * Cuts past the decisive word: the shortest word-prefix that already gives the full text's top
 * cause is where the decision is made; cutting anywhere after it (one word later, halfway to the
 * end, in the middle of the next word) must give the same top cause.
 */
function truncations(text: string, full: string, context?: string): string[] {
  const ends = wordEnds(text);
  let decisive = ends.findIndex((e) => top(text.slice(0, e), context) === full);
  if (decisive < 0 || decisive >= ends.length - 1) return [];
  // Stable from here on? Later words may still flip it; the property is about cuts after the point
  // from which the prefix stays decided, so find the last flip.
  for (let i = decisive; i < ends.length; i++) if (top(text.slice(0, ends[i]), context) !== full) decisive = i + 1;
  if (decisive >= ends.length - 1) return [];
  const next = ends[decisive + 1]!;
  const nextWordStart = text.slice(ends[decisive]).search(/\S/u) + ends[decisive]!;
  const midWord = nextWordStart + Math.max(1, Math.floor((next - nextWordStart) / 2));
  const half = ends[decisive + Math.floor((ends.length - 1 - decisive) / 2)]!;
  return [text.slice(0, next), text.slice(0, midWord), text.slice(0, half)];
}

describe("metamorphic properties over the corpus", () => {
  const results: Array<{ transform: string; id: string; ok: boolean; got?: string; want: string }> = [];
  for (const c of cases) {
    const want = top(c.text, c.context);
    for (const [name, t] of Object.entries(TRANSFORMS)) {
      const changed = t(c.text);
      if (changed === null) continue;
      const got = top(changed, c.context);
      results.push({ transform: name, id: c.id, ok: got === want, got, want });
    }
    for (const cut of truncations(c.text, want, c.context)) {
      const got = top(cut, c.context);
      results.push({ transform: "truncated past the decisive word", id: c.id, ok: got === want, got, want });
    }
  }

  it("keeps the top cause under every transform (pass rate printed)", () => {
    const byTransform = new Map<string, { n: number; ok: number }>();
    for (const r of results) {
      const s = byTransform.get(r.transform) ?? { n: 0, ok: 0 };
      s.n++;
      if (r.ok) s.ok++;
      byTransform.set(r.transform, s);
    }
    const passed = results.filter((r) => r.ok).length;
    const lines = [...byTransform].map(([k, s]) => `  ${k}: ${s.ok}/${s.n}`);
    const fails = results.filter((r) => !r.ok).map((r) => `  ${r.transform} · ${r.id}: ${r.want} → ${r.got}`);
    console.log(
      `doctor metamorphic: ${passed}/${results.length} (${((100 * passed) / results.length).toFixed(1)}%)\n${lines.join("\n")}\n failures:\n${fails.join("\n")}`,
    );
    expect(results.length).toBeGreaterThan(700);
    expect(passed / results.length).toBeGreaterThanOrEqual(0.97);
    for (const [k, s] of byTransform) expect(s.ok / s.n, k).toBeGreaterThanOrEqual(0.9);
  });

  it("keeps the blind probe sets' top cause under the red herrings and the layout transforms", () => {
    // The blind-written sets (test/doctor/blind) are longer and messier than the corpus: the transforms
    // that change a paste's layout or add what a poster adds, over every one of them (not the slower
    // per-word truncations). Measured 6371/6400 (99.5%) when added, 34746/34976 over 3920 reports and 9 transforms now; the threshold sits just below.
    const blind = loadCorpus(join(import.meta.dirname, "blind"));
    const names = [
      "red herring: guesses appended",
      "red herring: an earlier error, fixed",
      "red herring: a signature",
      "red herring: the article quoted",
      "log prefix",
      "hard wrap at 40 columns",
      "HTML line breaks",
      "line breaks lost",
      "JSON-quoted",
      "retyped from a screen",
    ];
    let n = 0;
    let ok = 0;
    const misses: string[] = [];
    // Each report under a third of the transforms, in rotation, so every transform meets every set: all 10 over
    // all 5,400 reports took 12 minutes on the shared machine.
    blind.forEach((c, i) => {
      const want = top(c.text);
      names.forEach((name, j) => {
        if ((i + j) % 3 !== 0) return;
        const changed = TRANSFORMS[name]!(c.text);
        if (changed === null) return;
        n++;
        const got = top(changed);
        if (got === want) ok++;
        else misses.push(`  ${name} · ${c.file}:${c.id}: ${want} → ${got}`);
      });
    });
    console.log(`doctor metamorphic over the blind sets: ${ok}/${n}\n${misses.join("\n")}`);
    expect(n).toBeGreaterThan(6000);
    // 22761/22889 (99.4%) at stop 35, once reflow.ts gave cut and flattened pastes their lines back (98.99% before,
    // the stories read line by line failing under the 40-column hard wrap and lost line breaks).
    expect(ok / n).toBeGreaterThanOrEqual(0.99);
    // About 23,000 diagnoses (a third of 10 transforms over 5,400 reports, plus each report once): well past the
    // default per-test budget; the budget leaves room for a loaded machine.
  }, 600_000);

  it("never puts unknown on top for a text with a recognised status code", () => {
    for (const code of [
      "535 5.7.139",
      "5.7.3",
      "535 5.7.3",
      "504 5.7.4",
      "530 5.7.57",
      "550 5.7.60",
      "554 5.2.0",
      "421 4.7.66",
      "451 4.7.0",
      "454 4.7.0",
      "550 5.1.8",
      "550 5.7.708",
      "550 5.2.252",
      "501 5.5.4",
      "535 5.0.0",
      "421 4.3.2",
    ]) {
      const d = diagnose(code);
      expect(d.causes[0]!.id, code).not.toBe("unknown");
      expect(d.causes.find((c) => c.id === "unknown")?.confidence ?? 0, code).toBeLessThan(0.05);
    }
    const none = diagnose("It did not work.").causes;
    expect(none.at(-1)!.id).toBe("unknown");
    expect(none.at(-1)!.confidence).toBeLessThan(0.9);
  });
});
