/**
 * The one error type handlers throw. Each API's catalogue (graph.ts, exchange.ts, token.ts) builds
 * these with that API's real wire shape; the error serialiser stage of the pipeline writes them out.
 */
export class SandboxHttpError extends Error {
  override readonly name = "SandboxHttpError";
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** Stable code for tests and the request log (Graph `error.code`, Exchange `error.code`, OAuth `error`). */
  readonly code: string;

  constructor(opts: {
    status: number;
    code: string;
    message: string;
    body: unknown;
    headers?: Record<string, string>;
  }) {
    super(opts.message);
    this.status = opts.status;
    this.code = opts.code;
    this.body = opts.body;
    this.headers = opts.headers ?? {};
  }
}

/** Minimal per-request facts the catalogues need to fill request ids and dates. */
export interface ErrorContext {
  requestId: string;
  clientRequestId: string | null;
  now(): Date;
}
