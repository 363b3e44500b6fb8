/**
 * How Graph reads a user's key in a URL path, before route dispatch (protocol/pipeline.ts stage 2):
 *
 * - `/users('{key}')`, the OData key form, is the same user as `/users/{key}` (a `'` doubled inside).
 *   Graph documents it for a UPN that begins with `$` (user-get.md, known issue: "remove the slash
 *   after /users and enclose the userPrincipalName in parentheses and single quotes").
 * - `/users/$…` is read as a `$` system segment, not a key: 400 (only `$count` is one the sandbox models).
 * - A key that is neither an object id nor UPN-shaped (a character outside the UPN set `A-Z a-z 0-9
 *   ' . - _ ! # ^ ~`, `@` and `$`, e.g. a mail address with `+`) is refused 400 rather than 404, as the
 *   quirks review saw Graph do (microsoft-graph-explorer-v4#1847); the message is the sandbox's.
 */
import { GraphErrors } from "../errors/graph.ts";
import type { ErrorContext } from "../errors/http-error.ts";

const KEY_FORM = /^users\('(.*)'\)$/i;
const UPN_SHAPED = /^[A-Za-z0-9'.\-_!#^~@$]+$/;

/**
 * The path with every `users('{key}')` segment as `users/{key}`; throws Graph's 400 for a key it refuses.
 * `known` says whether a key names a user the tenant holds: a fixture's user is found by its own key, whatever
 * its characters (the export tests hold addresses beginning with `&` and `*`).
 */
export function normaliseUserKeys(
  path: string,
  ectx: ErrorContext,
  known: (key: string) => boolean = () => false,
): string {
  const segments = path.split("/");
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const keyed = KEY_FORM.exec(seg);
    if (keyed) {
      out.push("users", encodeURIComponent(decode(keyed[1]!).replaceAll("''", "'")));
      continue;
    }
    out.push(seg);
    if (seg.toLowerCase() !== "users" || i + 1 >= segments.length) continue;
    const key = decode(segments[i + 1]!);
    if (key.startsWith("$") && key.toLowerCase() !== "$count") throw GraphErrors.segmentNotFound(ectx, key);
    if (key !== "" && !key.startsWith("$") && !UPN_SHAPED.test(key) && !known(key))
      throw GraphErrors.invalidObjectId(ectx, key);
  }
  return out.join("/");
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
