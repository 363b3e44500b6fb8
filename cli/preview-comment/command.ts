/**
 * `m365-smtp-auth preview-comment [--stack NAME] [--today YYYY-MM-DD] [FILE]`: reads `pulumi preview
 * --json` output (the event stream from PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, or the digest)
 * from FILE or stdin and prints the pull-request comment as Markdown. Exit codes: 0 printed, 2 bad
 * arguments or unreadable input, 1 an unexpected internal failure; messages go to stderr.
 */
import { parsePreviewOutput } from "./model.ts";
import { renderPreviewComment } from "./render.ts";
import { readPreview } from "./model.ts";
import { runUrlFromEnv } from "../pipeline/run-link.ts";

/** What runPreviewComment needs from the process; tests pass fakes. */
export interface PreviewCommentIo {
  /** The whole of stdin, or null when stdin is a terminal / not provided. */
  stdin: string | null;
  /** Reads a file as UTF-8; throws when it cannot. */
  readFile: (path: string) => string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Today as YYYY-MM-DD (UTC), when --today is not given. */
  today: () => string;
  /** The environment, for the run's link (GitHub Actions or Azure Pipelines variables); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}

export const PREVIEW_COMMENT_USAGE = `usage: m365-smtp-auth preview-comment [--stack NAME] [--today YYYY-MM-DD] [--run-url URL] [FILE | -]

Turns \`pulumi preview --json\` output into the Markdown comment for a pull request. Run the preview
with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true so that the output carries the policy results.

  --stack NAME        the stack named in the comment (default: the stack in the preview's URNs)
  --today YYYY-MM-DD  the day expiries are judged against (default: today, UTC)
  --run-url URL       the pipeline run to link (default: the GitHub Actions or Azure Pipelines run, if any)
  -h, --help          show this help
`;

const NAME = "m365-smtp-auth preview-comment";

/** Runs the command with its arguments (after the word `preview-comment`); returns the exit code. */
export function runPreviewComment(args: string[], io: PreviewCommentIo): number {
  let stack: string | undefined;
  let today: string | undefined;
  let file: string | undefined;
  let runUrl: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-h" || a === "--help") {
      io.stdout(PREVIEW_COMMENT_USAGE);
      return 0;
    }
    if (a === "--stack" || a === "--today" || a === "--run-url") {
      const value = args[++i];
      if (value === undefined || value === "") {
        io.stderr(`${NAME}: ${a} needs a value\n`);
        return 2;
      }
      if (a === "--stack") stack = value;
      else if (a === "--run-url") runUrl = value;
      else today = value;
    } else if (a.startsWith("-") && a !== "-") {
      io.stderr(`${NAME}: unknown option '${a}'\n${PREVIEW_COMMENT_USAGE}`);
      return 2;
    } else if (file !== undefined) {
      io.stderr(`${NAME}: one input file at most\n`);
      return 2;
    } else {
      file = a;
    }
  }
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    io.stderr(`${NAME}: --today is not YYYY-MM-DD: ${today}\n`);
    return 2;
  }

  let text: string;
  if (file === undefined || file === "-") {
    if (io.stdin === null || io.stdin.trim() === "") {
      io.stderr(`${NAME}: no preview output on stdin; pass a file or pipe \`pulumi preview --json\`\n`);
      return 2;
    }
    text = io.stdin;
  } else {
    try {
      text = io.readFile(file);
    } catch (err: unknown) {
      io.stderr(`${NAME}: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }

  let preview: unknown;
  try {
    preview = parsePreviewOutput(text);
    stack ??= readPreview(preview).stack;
  } catch (err: unknown) {
    io.stderr(`${NAME}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  try {
    runUrl ??= io.env ? runUrlFromEnv(io.env) : undefined;
    io.stdout(
      renderPreviewComment(preview, {
        today: today ?? io.today(),
        stack: stack ?? "unknown",
        ...(runUrl ? { runUrl } : {}),
      }),
    );
    return 0;
  } catch (err: unknown) {
    io.stderr(`${NAME}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
