/**
 * JSON batching (POST /{version}/$batch), per json-batching.md: at most 20 requests, unique ids
 * (case-insensitive), relative urls, dependsOn with 424 for a failed dependency, headers required
 * with a body. Items run in order through the same pipeline as top-level requests (minus faults).
 */
import type { HandlerContext, HandlerResult } from "../protocol/context.ts";
import { json } from "../protocol/context.ts";
import { GraphErrors } from "../errors/graph.ts";

export const MAX_BATCH_REQUESTS = 20;

/** One batch item as the sandbox executes it. */
export interface BatchItem {
  id: string;
  method: string;
  /** Relative to the version root, with a leading slash and query string. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Runs one item through the pipeline and returns its result (never throws). */
export type BatchDispatcher = (item: BatchItem, outer: HandlerContext) => Promise<HandlerResult>;

const CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function createBatchHandler(dispatch: BatchDispatcher) {
  return async function batch(ctx: HandlerContext): Promise<HandlerResult> {
    const items = parseBatch(ctx);
    const status = new Map<string, number>();
    const responses: unknown[] = [];
    for (const item of items) {
      const deps = item.dependsOn;
      const failed = deps.some((d) => {
        const s = status.get(d.toLowerCase());
        return s === undefined || s >= 400;
      });
      let r: HandlerResult;
      if (failed) {
        r = { status: 424, body: GraphErrors.failedDependency(ctx).body };
      } else {
        r = await dispatch(item, ctx);
      }
      status.set(item.id.toLowerCase(), r.status);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers ?? {})) {
        if (
          ["location", "retry-after", "content-type", "odata-version", "cache-control", "x-ms-resource-unit"].includes(
            k.toLowerCase(),
          )
        )
          headers[k] = v;
      }
      const entry: Record<string, unknown> = { id: item.id, status: r.status, headers };
      if (r.body !== undefined && r.body !== "") {
        if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type"))
          headers["Content-Type"] = CONTENT_TYPE;
        entry.body = r.body;
      }
      responses.push(entry);
    }
    return json(200, { responses });
  };
}

function parseBatch(ctx: HandlerContext): (BatchItem & { dependsOn: string[] })[] {
  const body = ctx.body as { requests?: unknown } | undefined;
  if (typeof body !== "object" || body === null || !Array.isArray(body.requests)) {
    throw GraphErrors.invalidBatch(ctx, "Invalid batch payload format.");
  }
  if (body.requests.length === 0) throw GraphErrors.invalidBatch(ctx, "Invalid batch payload format.");
  if (body.requests.length > MAX_BATCH_REQUESTS)
    throw GraphErrors.invalidBatch(ctx, "Number of requests inside batch exceeds the limit.");
  const seen = new Set<string>();
  const out: (BatchItem & { dependsOn: string[] })[] = [];
  for (const raw of body.requests as unknown[]) {
    if (typeof raw !== "object" || raw === null) throw GraphErrors.invalidBatch(ctx, "Invalid batch payload format.");
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== "string" || r.id === "")
      throw GraphErrors.invalidBatch(ctx, "Request id is required for each batch request.");
    if (seen.has(r.id.toLowerCase()))
      throw GraphErrors.invalidBatch(ctx, `Batch request contains duplicate id '${r.id}'.`);
    seen.add(r.id.toLowerCase());
    if (typeof r.method !== "string" || typeof r.url !== "string")
      throw GraphErrors.invalidBatch(ctx, `Invalid request: method and url are required (id ${r.id}).`);
    if (/^https?:/i.test(r.url))
      throw GraphErrors.invalidBatch(ctx, `Invalid request URL '${r.url}': batch URLs must be relative (id ${r.id}).`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (typeof r.headers !== "object" || r.headers === null)
        throw GraphErrors.invalidBatch(ctx, "Invalid batch payload format.");
      for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && !headers["content-type"]) {
      throw GraphErrors.invalidBatch(ctx, `Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
    let dependsOn: string[] = [];
    if (r.dependsOn !== undefined) {
      if (!Array.isArray(r.dependsOn) || !r.dependsOn.every((d) => typeof d === "string"))
        throw GraphErrors.invalidBatch(ctx, "dependsOn must be an array of ids.");
      dependsOn = r.dependsOn;
    }
    let url = r.url.startsWith("/") ? r.url : `/${r.url}`;
    // The Graph JS SDK turns absolute Request URLs into "/v1.0/…"; drop a leading version segment matching this batch.
    const versionPrefix = `/${ctx.version ?? "v1.0"}/`;
    if (url.toLowerCase().startsWith(versionPrefix.toLowerCase())) url = url.slice(versionPrefix.length - 1);
    out.push({ id: r.id, method: r.method.toUpperCase(), url, headers, body: r.body, dependsOn });
  }
  return executionOrder(ctx, out);
}

/** Orders items so that each runs after its dependencies; 400 for an unknown id or a cycle. */
function executionOrder<T extends { id: string; dependsOn: string[] }>(ctx: HandlerContext, items: T[]): T[] {
  const ids = new Set(items.map((i) => i.id.toLowerCase()));
  for (const i of items) {
    for (const d of i.dependsOn) {
      if (!ids.has(d.toLowerCase()))
        throw GraphErrors.invalidBatch(ctx, `Request id ${i.id} depends on '${d}', which is not in the batch.`);
    }
  }
  const done = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < items.length) {
    const next = items.find(
      (i) => !done.has(i.id.toLowerCase()) && i.dependsOn.every((d) => done.has(d.toLowerCase())),
    );
    if (!next) throw GraphErrors.invalidBatch(ctx, "The dependsOn references in the batch form a cycle.");
    done.add(next.id.toLowerCase());
    ordered.push(next);
  }
  return ordered;
}
