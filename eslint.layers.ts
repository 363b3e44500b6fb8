/**
 * The layer directions of the house, as lint: each folder may import only the folders listed for it
 * (README "Folder map" explains them). eslint.config.ts turns this table into `no-restricted-imports`
 * rules, one per folder and depth, so an import against the directions fails `npm run lint`.
 */
import type { Linter } from "eslint";

/** A folder and what it may import besides itself. `providers/types.ts` alone is allowed where named. */
export interface Layer {
  folder: string;
  may: readonly string[];
  /** Packages are allowed unless this is false (the pure core imports nothing at all). */
  packages?: boolean;
  why: string;
}

export const LAYERS: readonly Layer[] = [
  { folder: "m365", may: [], packages: false, why: "the pure core: facts about Microsoft 365, no I/O" },
  { folder: "tenant", may: ["m365"], why: "the one client layer: HTTP, Graph and Exchange clients, the facts reader" },
  { folder: "providers", may: ["tenant", "m365"], why: "the dynamic providers only" },
  { folder: "desired", may: ["m365", "providers/types.ts"], why: "tenant.yaml into the providers' inputs" },
  { folder: "program", may: ["desired", "providers", "tenant", "m365"], why: "program-side code of index.ts" },
  { folder: "sandbox", may: ["m365"], why: "the emulator shares only the core with the product" },
  { folder: "engine", may: [], why: "how to run the Pulumi CLI" },
  {
    folder: "cli",
    may: ["desired", "tenant", "m365", "engine", "program", "providers/types.ts"],
    why: "commands; never the sandbox or the providers' internals",
  },
  { folder: "policies", may: ["providers/types.ts"], why: "the policy pack, its own package" },
];

/** Top-level folders a layer can name (scripts, bench and test may import anything). */
const TOP = [
  "m365",
  "tenant",
  "providers",
  "desired",
  "program",
  "sandbox",
  "engine",
  "cli",
  "policies",
  "scripts",
  "bench",
  "test",
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

/** The `no-restricted-imports` config blocks for every layer, one per nesting depth (1 to 4). */
export function layerRules(): Linter.Config[] {
  return LAYERS.flatMap((layer) => {
    const forbidden = TOP.filter((t) => t !== layer.folder && !layer.may.includes(t));
    const files = [1, 2, 3, 4].map((depth) => ({ depth, glob: `${layer.folder}/${"*/".repeat(depth - 1)}*.ts` }));
    return files.map(({ depth, glob }) => {
      const up = `(?:\\.\\./){${depth}}`;
      const patterns: { regex: string; message: string }[] = [];
      for (const top of forbidden) {
        // providers/types.ts may be allowed on its own: forbid every other file of providers.
        const allowedFile = layer.may.find((m) => m.startsWith(`${top}/`));
        const rest = allowedFile
          ? `${escape(top)}/(?!${escape(allowedFile.slice(top.length + 1))}$)`
          : `${escape(top)}/`;
        patterns.push({
          regex: `^${up}${rest}`,
          message: `${layer.folder}/ may import only ${layer.may.length ? layer.may.join(", ") : "itself"} (README "Folder map"): ${layer.why}.`,
        });
      }
      if (layer.packages === false) {
        patterns.push({ regex: "^(?!\\.)", message: `${layer.folder}/ imports nothing outside itself: ${layer.why}.` });
      }
      return {
        files: [glob],
        rules: { "no-restricted-imports": ["error", { patterns }] },
      } satisfies Linter.Config;
    });
  });
}
