/**
 * Finds an executable on PATH in Node itself, the way a shell's `command -v` would, so that no
 * command needs sh (issue 16.4: Windows has none). On Windows it tries the PATHEXT extensions
 * (.COM, .EXE, .BAT, .CMD by default) and the names are compared case-insensitively by the file
 * system; elsewhere a candidate must be a file with an execute bit.
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

/** Options of {@link findOnPath}; the defaults are the running process's. */
export interface FindOnPathOptions {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
}

function isExecutableFile(file: string, windows: boolean): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (!windows) accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every match of `name` on PATH, in PATH order, as absolute paths (a directory listed twice gives
 * one match). Empty when there is none; never throws. `name` with a path separator is not looked up.
 */
export function findAllOnPath(name: string, opts: FindOnPathOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const windows = (opts.platform ?? process.platform) === "win32";
  if (name.includes("/") || (windows && name.includes("\\"))) return [];
  // Windows keeps the variable as "Path"; environment names are case-insensitive there.
  const pathVar = windows ? Object.entries(env).find(([k]) => k.toUpperCase() === "PATH")?.[1] : env.PATH;
  const dirs = (pathVar ?? "").split(windows ? ";" : ":").filter((d) => d !== "");
  const extensions = windows
    ? ["", ...(env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")]
    : [""];
  const found: string[] = [];
  for (const dir of [...new Set(dirs)]) {
    for (const ext of extensions) {
      // A bare name without an extension is not runnable on Windows.
      if (windows && ext === "" && path.extname(name) === "") continue;
      const candidate = path.join(dir.replace(/^"(.*)"$/, "$1"), name + ext);
      if (isExecutableFile(candidate, windows)) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}

/** The first match of `name` on PATH (see {@link findAllOnPath}), or undefined. */
export function findOnPath(name: string, opts: FindOnPathOptions = {}): string | undefined {
  return findAllOnPath(name, opts)[0];
}
