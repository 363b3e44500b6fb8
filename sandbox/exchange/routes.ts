/** Exchange admin API routes: the InvokeCommand gateway. */
import type { Route } from "../protocol/router.ts";
import { describeInvocation, invokeCommand } from "./invoke.ts";

export function exchangeRoutes(): Route[] {
  return [
    {
      api: "exchange",
      auth: "bearer",
      budget: "exchange",
      method: "POST",
      pattern: "/adminapi/beta/{tenant}/InvokeCommand",
      query: ["$skiptoken"],
      describe: describeInvocation,
      handler: invokeCommand,
    },
  ];
}
