import vitest from "@vitest/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import { layerRules } from "./eslint.layers.ts";

export default defineConfig(
  {
    ignores: [
      "node_modules/",
      ".tools/",
      ".tmp/",
      ".state/",
      ".pulumi-home/",
      ".sandbox/",
      "policies/node_modules/",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
      "dist/",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      // Implementations of async interfaces (provider methods, handlers) need not await anything.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["test/**/*.ts"],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      // expect(value, message) names the failing case in a corpus loop.
      "vitest/valid-expect": ["error", { maxArgs: 2 }],
      // Tests parse JSON from the CLI and the sandbox; asserting on it is the point.
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  ...layerRules(),
);
