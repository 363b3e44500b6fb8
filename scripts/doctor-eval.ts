/**
 * `npm run doctor:eval`: the doctor's calibration on the corpus, held out by source thread
 * (cli/doctor/calibration.ts). Prints top-1/top-2 per split, the reliability table and the Brier
 * score. Exit 0; 1 when the corpus cannot be read.
 */
import { join } from "node:path";
import { evaluate, formatReport, loadCorpus } from "../cli/doctor/calibration.ts";

try {
  const doctor = join(import.meta.dirname, "..", "test", "doctor");
  // The blind-written sets are never scored here (paraphrases, not real reports); they train the word lead.
  process.stdout.write(
    formatReport(evaluate(loadCorpus(join(doctor, "corpus")), 5, loadCorpus(join(doctor, "blind")))),
  );
} catch (err) {
  process.stderr.write(`doctor:eval: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
