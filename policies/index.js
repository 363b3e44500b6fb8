// Entry point for the engine (package.json "main"). The language host starts the pack through
// @pulumi/pulumi's run-policy-pack, which require()s this folder with ts-node registered for
// CommonJS. The pack is ES-module TypeScript like the rest of the repository (relative imports end
// in .ts), which ts-node cannot compile through require(). This file is an ES module (package.json
// "type": "module"), so Node 24 loads it with require(esm), and its import of pack.ts goes through
// Node's own ES-module loader, which strips the types. Type checking is `npm run typecheck` here and
// the root package's `tsc`, not ts-node.
import "./pack.ts";
