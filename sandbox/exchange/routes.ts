/** Exchange admin API routes: the InvokeCommand gateway. */
import type { Route } from "../protocol/router.ts";
import { describeInvocation, invokeCommand, unmodelledCmdlet } from "./invoke.ts";

export function exchangeRoutes(): Route[] {
  return [
    {
      api: "exchange",
      auth: "bearer",
      budget: "exchange",
      method: "POST",
      pattern: "/adminapi/beta/{tenant}/InvokeCommand",
      query: ["$skiptoken", "$select"],
      describe: describeInvocation,
      unmodelled: (ctx) => {
        const name = unmodelledCmdlet(ctx);
        return name === null ? null : `the cmdlet ${name}`;
      },
      handler: invokeCommand,
    },
  ];
}
