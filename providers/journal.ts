/**
 * The write-ahead journal of prior values (issue 17.1): the value an item had before this stack first
 * changed it, appended and fsync'd BEFORE the write that changes it, outside the Pulumi checkpoint.
 *
 * Why: the engine runs up to PULUMI_PARALLEL creates at once and checkpoints each one only after it
 * returns, so a CLI killed in between leaves writes in the tenant whose prior is in no checkpoint;
 * `refresh --clear-pending-creates` then forgets them and the next create would "adopt" the value
 * the killed run set. With the journal, create takes the journaled prior instead of what the tenant
 * shows now, and delete restores it.
 *
 * Where it lives: next to the state, so that it travels with it. For a `file://` backend (the
 * sandbox, tests, a shared file backend) that is `<backend dir>/.m365-smtp-auth/priors/<tenant>.jsonl`;
 * for other backends (Azure Blob, S3, Pulumi Cloud) the provider cannot write into the backend, so
 * stack config `priorJournal` names a directory the pipeline keeps with the state. A stack-level
 * resource output was considered and rejected: outputs reach the backend only with a checkpoint,
 * which is exactly what a killed run never writes.
 *
 * Format: one JSON object a line, `{"kind","id","prior"}` to record and `{"kind","id","drop":true}`
 * once the checkpoint holds the prior (a read, update or delete was given it). The first record of
 * a key wins until it is dropped. A torn last line (killed mid-append) is ignored: its write never
 * started, because the write waits for the fsync. The file is compacted before a run's first record.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** What a journal entry records: the prior value of one item of one kind (JSON-serialisable). */
export type PriorValue = string | boolean | null;

/** Journal contract shared by the file journal and the in-memory one used by unit tests. */
export interface PriorJournal {
  /** The journaled prior for `kind`/`id`, or undefined when none is recorded. */
  get(kind: string, id: string): PriorValue | undefined;
  /** Every journaled item of `kind` (for the collective kinds: strays reset by a killed run). */
  entries(kind: string): { id: string; prior: PriorValue }[];
  /**
   * Records `prior` for `kind`/`id` unless a prior is already recorded (the first one is the
   * tenant's original value). Resolves once the record is on disk; the caller writes after that.
   * Rejects when the journal cannot be written: the caller must then not write to the tenant.
   */
  record(kind: string, id: string, prior: PriorValue): Promise<void>;
  /** Forgets `kind`/`id`: the checkpoint now holds its prior. Best effort, never rejects. */
  drop(kind: string, id: string): Promise<void>;
}

interface Line {
  kind: string;
  id: string;
  prior?: PriorValue;
  drop?: true;
}

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;

/** A journal held in memory only (unit tests, and `preview`, which never writes). */
export function memoryJournal(): PriorJournal {
  const live = new Map<string, { kind: string; id: string; prior: PriorValue }>();
  return {
    get: (kind, id) => live.get(keyOf(kind, id))?.prior,
    entries: (kind) => [...live.values()].filter((e) => e.kind === kind).map(({ id, prior }) => ({ id, prior })),
    async record(kind, id, prior) {
      if (!live.has(keyOf(kind, id))) live.set(keyOf(kind, id), { kind, id, prior });
    },
    async drop(kind, id) {
      live.delete(keyOf(kind, id));
    },
  };
}

/** Replays journal text: the live entries, in order. Unparseable lines (a torn tail) are skipped. */
export function replayJournal(text: string): Map<string, { kind: string; id: string; prior: PriorValue }> {
  const live = new Map<string, { kind: string; id: string; prior: PriorValue }>();
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue;
    }
    if (typeof line.kind !== "string" || typeof line.id !== "string") continue;
    const key = keyOf(line.kind, line.id);
    if (line.drop) live.delete(key);
    else if (!live.has(key) && line.prior !== undefined)
      live.set(key, { kind: line.kind, id: line.id, prior: line.prior });
  }
  return live;
}

/**
 * Opens the journal file at `file` (created on the first record) and loads its live entries.
 * Appends are group-committed: every record waiting when a flush starts shares one write + fsync.
 * One provider process serves a whole CLI command and the stack lock keeps commands apart, so the
 * file has one writer at a time.
 */
export function openFileJournal(file: string): PriorJournal {
  // Opening only reads (a preview may run where nothing can be written); the folder is made on the first append.
  const text = readOrEmpty(file);
  const live = replayJournal(text);
  // Compact only before the first record: records come from create, which runs under the stack
  // lock, while a concurrent preview --refresh may append drops (O_APPEND); a drop lost to the
  // rename only leaves an entry equal to the checkpoint's prior.
  let compacted = text === "";
  const memory = memoryJournal();
  for (const e of live.values()) void memory.record(e.kind, e.id, e.prior);

  const writing = new Map<string, Promise<void>>();
  let queue: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const fd = openSync(file, "a");
        try {
          writeSync(fd, batch.map((b) => b.line).join(""));
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        for (const b of batch) b.resolve();
      } catch (err) {
        const error = new Error(`cannot write the prior-value journal ${file}: ${(err as Error).message}`);
        for (const b of batch) b.reject(error);
      }
      // Let callers that arrive meanwhile join the next batch.
      await new Promise((r) => setImmediate(r));
    }
    flushing = undefined;
  };
  const append = (line: Line) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ line: `${JSON.stringify(line)}\n`, resolve, reject });
      flushing ??= flush();
    });

  return {
    get: (kind, id) => memory.get(kind, id),
    entries: (kind) => memory.entries(kind),
    record(kind, id, prior) {
      const key = keyOf(kind, id);
      // A record of this key still on its way to disk: the caller must wait for that one.
      const inFlight = writing.get(key);
      if (inFlight) return inFlight;
      if (memory.get(kind, id) !== undefined) return Promise.resolve();
      void memory.record(kind, id, prior);
      if (!compacted) {
        compacted = true;
        try {
          compact(file, replayJournal(readOrEmpty(file)));
        } catch (err) {
          void memory.drop(kind, id);
          return Promise.reject(new Error(`cannot compact the prior-value journal ${file}: ${(err as Error).message}`));
        }
      }
      const written = append({ kind, id, prior }).then(
        () => void writing.delete(key),
        async (err: unknown) => {
          writing.delete(key);
          await memory.drop(kind, id);
          throw err;
        },
      );
      writing.set(key, written);
      return written;
    },
    async drop(kind, id) {
      if (memory.get(kind, id) === undefined) return;
      await memory.drop(kind, id);
      await append({ kind, id, drop: true }).catch(() => undefined);
    },
  };
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
}

/** Rewrites the file to its live entries (temporary file + rename), or removes it when none are left. */
function compact(file: string, live: ReturnType<typeof replayJournal>): void {
  if (live.size === 0) {
    rmSync(file, { force: true });
    return;
  }
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, [...live.values()].map((e) => `${JSON.stringify(e)}\n`).join(""));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Where the journal of tenant `tenantId` lives: `configured` (stack config `priorJournal`, a
 * directory) when set; else beside a `file://` backend (from PULUMI_BACKEND_URL, or the CLI's
 * current login in PULUMI_HOME/credentials.json); else `.state/priors` under `cwd`, which only
 * survives on the machine that ran the command (documented: set `priorJournal` in CI).
 */
export function journalPath(options: {
  tenantId: string;
  configured?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  home?: string;
}): string {
  const name = `${options.tenantId.toLowerCase().replace(/[^a-z0-9.-]/g, "_")}.jsonl`;
  if (options.configured) return path.resolve(options.cwd, options.configured, name);
  const backend = options.env.PULUMI_BACKEND_URL ?? currentLogin(options.env, options.home);
  const dir = backend ? fileBackendDir(backend) : undefined;
  if (dir) return path.join(dir, ".m365-smtp-auth", "priors", name);
  return path.join(options.cwd, ".state", "priors", name);
}

/** The folder of a `file://` backend URL (query stripped, `~` expanded), or undefined for other schemes. */
export function fileBackendDir(url: string, home?: string): string | undefined {
  if (!url.startsWith("file://")) return undefined;
  const dir = decodeURIComponent(url.slice("file://".length).split("?")[0]!);
  if (dir.startsWith("~") && home) return path.join(home, dir.slice(1));
  return dir;
}

function currentLogin(env: NodeJS.ProcessEnv, home?: string): string | undefined {
  const pulumiHome = env.PULUMI_HOME ?? (home ? path.join(home, ".pulumi") : undefined);
  if (!pulumiHome) return undefined;
  try {
    const creds = JSON.parse(readFileSync(path.join(pulumiHome, "credentials.json"), "utf8")) as { current?: string };
    return creds.current;
  } catch {
    return undefined;
  }
}
