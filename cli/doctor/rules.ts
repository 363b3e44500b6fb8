/**
 * The doctor's rules as one declarative table (issue 12 item 4, issue 14 items 2–5).
 *
 * Each rule reads one piece of evidence (a status-code family, a reply phrase, a client library's
 * own wording, the order of a transcript, the user's own words) and adds log-odds to the causes it
 * supports, scaled by how strongly the evidence is present (a phrase cut off mid-word counts less
 * than a whole one). diagnose() adds every rule's weights to a prior and takes a softmax, so
 * evidence combines instead of "strongest rule wins". Weights are log-odds: +1 multiplies a
 * cause's odds by e; ±4 or more is decisive.
 *
 * The tables: status-code families (codes.ts), Exchange reply phrases and transcript order
 * (replies.ts), client-library wording (clients.ts), the user's own words (user-words.ts), the
 * pasted answers to the doctor's own checks (check-answers.ts) and the changes the reporter says did or
 * did not make it work (resolutions.ts), all
 * of the shape in rule-kit.ts, concatenated into {@link RULES}.
 */
import { CHECK_ANSWER_RULES } from "./check-answers.ts";
import { CLIENT_RULES } from "./clients.ts";
import { CODE_RULES } from "./codes.ts";
import { REPLY_RULES } from "./replies.ts";
import { RESOLUTION_RULES } from "./resolutions.ts";
import type { Rule } from "./rule-kit.ts";
import { USER_WORD_RULES } from "./user-words.ts";

export type { Rule, Weights } from "./rule-kit.ts";
export { anyPhrase } from "./rule-kit.ts";
export { REASONS } from "./replies.ts";

/** Every rule, in table order. Ids are unique (tested). */
export const RULES: readonly Rule[] = [
  ...CODE_RULES,
  ...REPLY_RULES,
  ...CLIENT_RULES,
  ...USER_WORD_RULES,
  ...CHECK_ANSWER_RULES,
  ...RESOLUTION_RULES,
];
