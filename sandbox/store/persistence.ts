/**
 * Persistence to a state dir, so a restarted sandbox keeps its tenant, its token-signing key (tokens
 * stay valid) and its CA (NODE_EXTRA_CA_CERTS paths stay valid). Writes are atomic (temp + rename)
 * and coalesced; flush() writes synchronously (stop() calls it).
 *
 * Layout: tenant.json, signing-key.pem, ca.pem, server-cert.pem, server-key.pem.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TenantState } from "../model.ts";
import type { TenantStore } from "./store.ts";

export class StateDir {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): string | null {
    const p = this.path(name);
    return existsSync(p) ? readFileSync(p, "utf8") : null;
  }

  /** Atomic write (mode 0600: keys live here). */
  write(name: string, text: string): void {
    const p = this.path(name);
    const tmp = `${p}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, p);
  }

  /** The persisted tenant, or null on first start. Throws when the file is not valid JSON. */
  loadState(): TenantState | null {
    const text = this.read("tenant.json");
    if (text === null) return null;
    try {
      return JSON.parse(text) as TenantState;
    } catch (e) {
      throw new Error(
        `${this.path("tenant.json")}: not valid JSON (${(e as Error).message}); delete it to start from the fixture`,
      );
    }
  }
}

/** Writes the store to `tenant.json` after each change (coalesced to one write per tick). */
export function persistStore(store: TenantStore, dir: StateDir): { flush(): void; dispose(): void } {
  let pending: NodeJS.Immediate | null = null;
  const flush = () => {
    if (pending) clearImmediate(pending);
    pending = null;
    dir.write("tenant.json", JSON.stringify(store.read(), null, 1));
  };
  const unsubscribe = store.onChange(() => {
    if (!pending) pending = setImmediate(flush);
  });
  flush();
  return {
    flush,
    dispose() {
      if (pending) flush();
      unsubscribe();
    },
  };
}
