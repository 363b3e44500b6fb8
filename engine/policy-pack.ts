/**
 * Issue 16.8: a policy pack whose dependencies are not installed (a copied tree, `npm ci
 * --ignore-scripts`) makes the engine print a stack trace per policy; say so in one sentence first.
 */
import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Why the policy pack in `dir` cannot run, in one sentence naming the fix, or undefined when its
 * dependencies are installed. Only checks what the engine needs to load it (@pulumi/policy).
 */
export function policyPackProblem(dir: string): string | undefined {
  if (!existsSync(path.join(dir, "package.json"))) return `${dir} is not a policy pack (no package.json)`;
  if (existsSync(path.join(dir, "node_modules", "@pulumi", "policy", "package.json"))) return undefined;
  return (
    `the policy pack's dependencies are not installed (${path.join(dir, "node_modules")} has no @pulumi/policy): ` +
    "run npm ci at the repository root, which installs them too (or npm ci --prefix policies)"
  );
}
