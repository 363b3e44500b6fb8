/**
 * `npm run doctor:words`: regenerate cli/doctor/word-table.txt, the word counts behind the doctor's
 * lead when nothing decides (cli/doctor/word-evidence.ts), from the labelled corpus and the
 * blind-written sets. Run it after adding or relabelling reports; the word-evidence test fails
 * until the table matches them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCorpus } from "../cli/doctor/calibration.ts";
import { serialiseWordTable, trainWordTable } from "../cli/doctor/word-evidence.ts";

const root = join(import.meta.dirname, "..");

/**
 * The table trained on every labelled report in the repository, as word-evidence.ts reads it: a header of
 * reports per cause (index into CAUSE_IDS : count), then one word per line with the reports of each cause
 * it occurs in. A data file, not a module: a diagnosis that needs no lead never reads it.
 */
export function wordTableText(): string {
  const reports = [
    ...loadCorpus(join(root, "test", "doctor", "corpus")),
    ...loadCorpus(join(root, "test", "doctor", "blind")),
  ];
  return `${serialiseWordTable(trainWordTable(reports)).join("\n")}\n`;
}

if (import.meta.main) {
  writeFileSync(join(root, "cli", "doctor", "word-table.txt"), wordTableText());
}
