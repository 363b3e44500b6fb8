import { defineConfig } from "vitest/config";

/** `npm run test:chaos`: the kill tests (test/e2e/*.chaos.ts), kept out of `npm test` because they take minutes. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.chaos.ts"],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
