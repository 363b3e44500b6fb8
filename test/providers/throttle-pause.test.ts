import { describe, expect, it } from "vitest";
import { createHttpClient } from "../../tenant/http.ts";

describe("a 429 pauses the whole client", () => {
  it("requests started while a Retry-After runs wait for it instead of spending the budget", async () => {
    const started: { url: string; at: number }[] = [];
    let clock = 0;
    let refused = false;
    const fetch = (async (url: string) => {
      started.push({ url, at: clock });
      if (url.endsWith("/first") && !refused) {
        refused = true;
        return new Response("", { status: 429, headers: { "retry-after": "3" } });
      }
      return new Response("{}", { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    };
    const now = Date.now;
    Date.now = () => 1_000_000 + clock;
    try {
      const client = createHttpClient({ getToken: async () => "t", fetch, sleep, concurrency: 1 });
      const first = client.send({ method: "GET", url: "https://x/first", idempotent: true });
      const second = client.send({ method: "GET", url: "https://x/second", idempotent: true });
      await Promise.all([first, second]);
    } finally {
      Date.now = now;
    }
    expect(sleeps).toEqual([3000]);
    expect(started).toEqual([
      { url: "https://x/first", at: 0 },
      { url: "https://x/first", at: 3000 },
      { url: "https://x/second", at: 3000 },
    ]);
  });
});
