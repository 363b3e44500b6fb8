/**
 * Issue 16.9: drift and exception-expiry notifications to a Microsoft Teams channel. The channel's
 * Workflows webhook ("Post to a channel when a webhook request is received") takes a message with an
 * Adaptive Card attachment; an exception's owner is @-mentioned by mail address (Teams resolves a UPN
 * in `msteams.entities[].mentioned.id`).
 *
 * The webhook URL carries its own signature (`sig=`), so it is a secret: it comes from the
 * environment (TEAMS_WEBHOOK_URL, a pipeline secret) and never appears in output or errors.
 */
import type { DriftVerdict } from "./drift.ts";
import { whenText, whereText, type ExpiryScan } from "./exceptions.ts";

/** The environment variable holding the Workflows webhook URL. */
export const TEAMS_WEBHOOK_ENV = "TEAMS_WEBHOOK_URL";

type Json = Record<string, unknown>;

/** At most this many rows are listed in a card; the rest are counted and left to the report. */
const CARD_ROWS = 25;

/** Teams reads `<at>` in a TextBlock as a mention; a literal one in data must not become one. */
function plain(text: string): string {
  return text.replaceAll("<", "‹").replaceAll(">", "›");
}

function textBlock(text: string, extra: Json = {}): Json {
  return { type: "TextBlock", text, wrap: true, ...extra };
}

function card(title: string, body: Json[], mentions: string[], runUrl: string | undefined): Json {
  const content: Json = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [textBlock(title, { size: "Medium", weight: "Bolder" }), ...body],
    ...(runUrl ? { actions: [{ type: "Action.OpenUrl", title: "Open the pipeline run", url: runUrl }] } : {}),
    msteams: {
      width: "Full",
      entities: mentions.map((m) => ({ type: "mention", text: `<at>${m}</at>`, mentioned: { id: m, name: m } })),
    },
  };
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content }],
  };
}

function more(total: number): Json[] {
  return total > CARD_ROWS ? [textBlock(`… and ${total - CARD_ROWS} more: see the report.`, { isSubtle: true })] : [];
}

/** The card for a drift check that is not clean; undefined when it is clean (nothing to post). */
export function driftCard(stack: string, verdict: DriftVerdict, runUrl?: string): Json | undefined {
  if (verdict.ok) return undefined;
  const lines = verdict.drift.map(
    (d) => `- **${plain(d.item)}** (${d.kind}, ${d.op}): ${plain(d.differences.join("; "))}`,
  );
  const causes = [
    verdict.drift.length > 0 ? `${verdict.drift.length} item(s) differ from tenant.yaml` : undefined,
    verdict.expired > 0 ? `${verdict.expired} exception(s) expired` : undefined,
    verdict.mandatoryViolations > 0 ? `${verdict.mandatoryViolations} mandatory policy violation(s)` : undefined,
    verdict.failed ? "the refreshed preview failed" : undefined,
  ].filter((c) => c !== undefined);
  return card(
    `Drift on stack ${plain(stack)}`,
    [
      textBlock(
        `${causes.join(" · ")}. Run the apply pipeline to put the tenant back, or change tenant.yaml in a pull request to accept what is there now.`,
      ),
      ...(lines.length > 0 ? [textBlock(lines.slice(0, CARD_ROWS).join("\n"))] : []),
      ...more(lines.length),
    ],
    [],
    runUrl,
  );
}

/**
 * The card for exceptions expired or expiring within the scan's window, each owner @-mentioned once;
 * undefined when none is due (nothing to post).
 */
export function expiryCard(scan: ExpiryScan, runUrl?: string): Json | undefined {
  const due = scan.exceptions.filter((e) => e.status !== "ok");
  if (due.length === 0) return undefined;
  const owners = [...new Set(due.map((e) => e.owner).filter((o) => o !== undefined))].sort();
  const lines = due.map((e) => {
    const icon = e.status === "expired" ? "❌" : "⏳";
    const who = [e.owner && `owner <at>${e.owner}</at>`, e.ticket && `ticket ${plain(e.ticket)}`].filter(Boolean);
    return `- ${icon} ${plain(e.what)}: ${whenText(e)}; ${[...who, plain(whereText(e))].join("; ")}`;
  });
  const expired = due.filter((e) => e.status === "expired").length;
  const summary =
    expired > 0
      ? `${expired} exception(s) expired: the scheduled drift check fails until they are renewed or removed.`
      : `Exceptions expiring within ${scan.days} days: renew each with a new ticket and expiry, or move the sender to OAuth.`;
  // Mention only owners whose rows are shown: Teams rejects an entity without its <at> text.
  const shown = lines.slice(0, CARD_ROWS);
  const mentioned = owners.filter((o) => shown.some((l) => l.includes(`<at>${o}</at>`)));
  return card(
    `Exceptions due (as of ${scan.today})`,
    [textBlock(summary), textBlock(shown.join("\n")), ...more(lines.length)],
    mentioned,
    runUrl,
  );
}

/** A Teams post that did not go through; the message never contains the webhook URL. */
export class TeamsNotifyError extends Error {
  override name = "TeamsNotifyError";
}

/**
 * POSTs `payload` as JSON to the webhook. Resolves when the webhook accepted it (2xx); rejects with a
 * TeamsNotifyError naming the status or network error code, never the URL, after `timeoutMs`.
 */
export async function postToTeams(webhookUrl: string, payload: Json, timeoutMs = 15_000): Promise<void> {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new TeamsNotifyError(`${TEAMS_WEBHOOK_ENV} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TeamsNotifyError(`${TEAMS_WEBHOOK_ENV} must be an https URL`);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new TeamsNotifyError(`the Teams webhook (${url.host}) could not be reached: ${cause}`);
  }
  await res.arrayBuffer(); // drain, so the connection is released
  if (!res.ok) throw new TeamsNotifyError(`the Teams webhook (${url.host}) answered ${res.status}`);
}

/**
 * Posts `payload` to the webhook in the environment's TEAMS_WEBHOOK_URL when both are there, for
 * `ci:<command>`. Returns false when a configured post failed (the error is printed; the URL, a
 * secret, never is); true when it was posted or there was nothing to post.
 */
export async function notifyTeams(
  io: {
    env: Readonly<Record<string, string | undefined>>;
    stdout: (s: string) => void;
    stderr: (s: string) => void;
  },
  command: string,
  payload: Json | undefined,
): Promise<boolean> {
  const url = io.env[TEAMS_WEBHOOK_ENV];
  // Azure Pipelines passes an undefined variable's macro through as text: "$(TEAMS_WEBHOOK_URL)".
  if (!url || url.startsWith("$(") || !payload) return true;
  try {
    await postToTeams(url, payload);
    io.stdout(`ci:${command}: posted to the Teams channel\n`);
    return true;
  } catch (err) {
    io.stderr(`ci:${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return false;
  }
}
