/**
 * The least-permissions tables (README "Least permissions", docs/oauth.md) and m365/permissions.ts
 * say the same (fidelity review findings 5, 16, 18): every permission the docs name is in the table,
 * every operation's least-privileged permission is in the README, and every resource kind has a row.
 */
import { RESOURCE_KINDS } from "../providers/types.ts";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OTHER_PERMISSIONS, PERMISSIONS } from "../m365/permissions.ts";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const section = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));
const README = section(read("README.md"), "### Least permissions", "A 403 is reported");
const OAUTH = section(read("docs/oauth.md"), "The app that runs the program", "Without the plugin");
/** Backticked names shaped like an application permission, e.g. `Policy.Read.All`. */
const named = (text: string) => [...text.matchAll(/`([A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)+)`/gu)].map((m) => m[1]!);
const TABLE = [...Object.values(PERMISSIONS), ...Object.values(OTHER_PERMISSIONS)];
const KNOWN = new Set<string>(TABLE.flatMap((p) => [...p.anyOf]));

describe("least-permissions docs", () => {
  it.each([
    ["README", README],
    ["docs/oauth.md", OAUTH],
  ])("%s names only permissions in m365/permissions.ts", (_doc, text) => {
    const names = named(text);
    expect(names.length).toBeGreaterThan(4);
    expect(names.filter((n) => !KNOWN.has(n))).toEqual([]);
  });

  it("the README names, for every operation, a permission that grants it", () => {
    const names = new Set(named(README));
    const ungranted = Object.entries({ ...PERMISSIONS, ...OTHER_PERMISSIONS })
      .filter(([, p]) => !p.anyOf.some((n) => names.has(n)))
      .map(([op]) => op);
    expect(ungranted).toEqual([]);
  });

  it("the README has a row for every resource kind", () => {
    const kinds = [...RESOURCE_KINDS];
    expect(kinds.filter((k) => !README.includes(`\`${k}\``))).toEqual([]);
  });

  it("the directory role templates need RoleManagement.Read.Directory, in the table and in docs/oauth.md", () => {
    expect(OTHER_PERMISSIONS["graph.directoryRoleTemplates.read"].anyOf[0]).toBe("RoleManagement.Read.Directory");
    expect(named(OAUTH)).toContain("RoleManagement.Read.Directory");
  });
});
