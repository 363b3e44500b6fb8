/**
 * Microsoft's published schedule for Basic authentication on SMTP AUTH (Exchange Team blog, January
 * 2026 update), and how long is left of it from a given day. Pure.
 */
/** Microsoft's published schedule for Basic authentication on SMTP AUTH (Exchange Team blog, 27 January 2026). */
export const BASIC_AUTH_SCHEDULE =
  "Basic authentication for SMTP AUTH stays available through December 2026, is disabled by default for existing tenants from the end of December 2026 (admins can re-enable it), and is removed in the second half of 2027 (Exchange Team blog, January 2026).";

const DAY = 86_400_000;
/** Last day Basic SMTP AUTH is available as today: through December 2026. */
export const BASIC_AVAILABLE_UNTIL = "2026-12-31";
/** Removal: "the second half of 2027" — no earlier than this day… */
export const BASIC_REMOVAL_EARLIEST = "2027-07-01";
/** …and no later than this one. */
export const BASIC_REMOVAL_LATEST = "2027-12-31";

export interface BasicAuthSchedule {
  today: string;
  /** Days until the end of December 2026 (0 on the day itself, negative after). */
  daysUntilDefaultOff: number;
  /** Days until the earliest and latest removal dates. */
  daysUntilRemoval: { earliest: number; latest: number };
  phase: "available" | "off-by-default" | "removal-window" | "removed";
  /** One or two sentences for people. */
  summary: string;
}

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** The schedule as seen from `today` (YYYY-MM-DD, UTC). */
export function basicAuthSchedule(today: string): BasicAuthSchedule {
  const untilOff = days(today, BASIC_AVAILABLE_UNTIL);
  const earliest = days(today, BASIC_REMOVAL_EARLIEST);
  const latest = days(today, BASIC_REMOVAL_LATEST);
  let phase: BasicAuthSchedule["phase"];
  let now: string;
  if (untilOff >= 0) {
    phase = "available";
    now = `Basic SMTP AUTH has ${untilOff} day${untilOff === 1 ? "" : "s"} left before it is off by default for existing tenants (end of December 2026), and ${earliest}–${latest} days before Microsoft removes it (second half of 2027).`;
  } else if (earliest > 0) {
    phase = "off-by-default";
    now = `Basic SMTP AUTH has been off by default since the end of December 2026 (tenants can re-enable it) and is removed in ${earliest}–${latest} days (second half of 2027).`;
  } else if (latest >= 0) {
    phase = "removal-window";
    now = `Basic SMTP AUTH is in its removal window (second half of 2027): it can disappear any day, at the latest in ${latest} days.`;
  } else {
    phase = "removed";
    now = "Basic SMTP AUTH has been removed (second half of 2027): only OAuth works.";
  }
  return {
    today,
    daysUntilDefaultOff: untilOff,
    daysUntilRemoval: { earliest, latest },
    phase,
    summary: `${now} ${BASIC_AUTH_SCHEDULE}`,
  };
}
