/**
 * `npm run doctor:eval`: the doctor's calibration on the corpus, held out by source thread
 * (cli/doctor/calibration.ts). Prints top-1/top-2 per split, the reliability table and the Brier
 * score. Exit 0; 1 when the corpus cannot be read.
 */
import { join } from "node:path";
import { evaluate, formatReport, loadCorpus } from "../cli/doctor/calibration.ts";

try {
  const cases = loadCorpus(join(import.meta.dirname, "..", "test", "doctor", "corpus"));
  process.stdout.write(formatReport(evaluate(cases)));
} catch (err) {
  process.stderr.write(`doctor:eval: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
