/**
 * The layer directions are enforced by lint: each fixture under test/fixtures/layering holds a
 * deliberately wrong import and names the path it lints as; the rules of eslint.layers.ts must
 * refuse exactly that import (and nothing else in the file), and accept the same file's allowed imports.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { layerRules } from "../../eslint.layers.ts";

const root = path.join(import.meta.dirname, "..", "..");
const dir = path.join(root, "test", "fixtures", "layering");
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ...layerRules()],
});

async function lintAs(code: string, relPath: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relPath) });
  return result!.messages.map((m) => ({ line: m.line, rule: m.ruleId, message: m.message }));
}

describe("layer rules", () => {
  const fixtures = readdirSync(dir).filter((f) => f.endsWith(".fixture"));
  it("has a fixture for each kind of wrong import", () => {
    expect(fixtures).toHaveLength(6);
  });

  it.each(fixtures)("%s: the wrong import is refused", async (file) => {
    const code = readFileSync(path.join(dir, file), "utf8");
    const as = /Lints as (\S+):/u.exec(code)![1]!;
    const wrongLine = code.split("\n").findIndex((l) => /^import (?!type)/u.test(l)) + 1;
    const messages = await lintAs(code, as);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ line: wrongLine, rule: "no-restricted-imports" });
    expect(messages[0]!.message).toMatch(
      new RegExp(
        `import is restricted from being used by a pattern. ${as.split("/")[0]}/ (may import only|imports nothing)`,
        "u",
      ),
    );
  });

  it.each([
    ["sandbox/smtp/ok.ts", 'import { evaluateGates } from "../../m365/gates.ts";\nexport const ok = evaluateGates;\n'],
    ["desired/ok.ts", 'import type { ResourceKind } from "../providers/types.ts";\nexport type Ok = ResourceKind;\n'],
    [
      "providers/kinds/ok.ts",
      'import { isNotFound } from "../../tenant/exchange-reads.ts";\nexport const ok = isNotFound;\n',
    ],
    ["cli/ok.ts", 'import { gatherFacts } from "../tenant/facts.ts";\nexport const ok = gatherFacts;\n'],
    ["m365/ok.ts", 'import { UNKNOWN } from "./gates.ts";\nexport const ok = UNKNOWN;\n'],
  ])("%s: an allowed import passes", async (as, code) => {
    expect(await lintAs(code, as)).toEqual([]);
  });
});
