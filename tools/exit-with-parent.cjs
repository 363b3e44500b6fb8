// Preloaded (node --require) into the dynamic-provider process by pulumi-resource-pulumi-nodejs:
// exits when the process that started it (the Pulumi CLI) has gone, e.g. after a kill -9, which
// leaves no one to stop it (issue 17 item 4). Node has no parent-death hook, so poll the parent pid:
// it changes to init or a subreaper when the parent dies. The launcher passes the pid it was started
// by, because the CLI can die while the launcher is still finding the provider, before node starts.
// Nothing is printed: stderr went to the CLI, and a write to that dead pipe fails (EPIPE).
"use strict";
const parent = Number(process.env.EXIT_WITH_PARENT_PID) || process.ppid;
delete process.env.EXIT_WITH_PARENT_PID;
const check = () => {
  if (process.ppid !== parent) process.exit(1);
};
check();
setInterval(check, 500).unref();
