/**
 * Per-account usage from individual sign-ins: successful logins per day, failures per error code,
 * last seen, source addresses. Pure.
 */
import type { AccountUsage, SmtpSignIn } from "./model.ts";

/** Groups sign-ins by account (and mechanism), accounts sorted by address. */
export function aggregateSignIns(signIns: readonly SmtpSignIn[]): AccountUsage[] {
  const byKey = new Map<string, AccountUsage & { ips: Set<string> }>();
  for (const s of signIns) {
    const key = `${s.mechanism}:${s.account}`;
    let a = byKey.get(key);
    if (!a) {
      a = {
        account: s.account,
        kind: s.kind,
        mechanism: s.mechanism,
        displayName: s.kind === "app" ? s.appDisplayName || null : null,
        logins: 0,
        failures: 0,
        lastSeen: null,
        perDay: {},
        errorCodes: {},
        ipAddresses: [],
        ips: new Set(),
      };
      byKey.set(key, a);
    }
    if (s.ok) {
      a.logins++;
      const day = s.at.slice(0, 10);
      a.perDay[day] = (a.perDay[day] ?? 0) + 1;
    } else {
      a.failures++;
      a.errorCodes[String(s.errorCode)] = (a.errorCodes[String(s.errorCode)] ?? 0) + 1;
    }
    if (a.lastSeen === null || s.at > a.lastSeen) a.lastSeen = s.at;
    if (s.ipAddress) a.ips.add(s.ipAddress);
  }
  return [...byKey.values()]
    .map(({ ips, ...a }) => ({ ...a, ipAddresses: [...ips].sort() }))
    .sort((x, y) => x.account.localeCompare(y.account) || x.mechanism.localeCompare(y.mechanism));
}
