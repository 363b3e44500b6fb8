/**
 * The engine's floor: `count` resources of a dynamic provider that calls no API, declared the way
 * the real program declares its resources (providers/shim.ts: a CustomResource with a one-line
 * `__provider` module) and with inputs of the same shape, so that the engine, the program and the
 * provider process do the same work per resource as for the real program, minus the tenant.
 */
import * as pulumi from "@pulumi/pulumi";
// bench/noop/ and its copies under .tmp/bench-*/ are both two levels below the project root.
import { RegistrationWindow } from "../../program/registration-window.ts";

const config = new pulumi.Config();
const count = config.requireNumber("count");

const PROVIDER =
  "exports.handler=()=>({" +
  "check:async(o,n)=>({inputs:n,failures:[]})," +
  "diff:async(id,o,n)=>({changes:o.state!==n.state,replaces:[],deleteBeforeReplace:false,stables:[]})," +
  "create:async(i)=>({id:i.key,outs:{...i,prior:i.state}})," +
  "read:async(id,p)=>{const{prior,...inputs}=p;return{id,props:p,inputs}}," +
  "update:async(id,o,n)=>({outs:{...n,prior:o.prior}})," +
  "delete:async()=>{}});";

class Noop extends pulumi.CustomResource {}

const registrations = new RegistrationWindow();
for (let i = 0; i < count; i++) {
  const key = `user${String(i).padStart(5, "0")}@contoso.com`;
  await registrations.declare(
    () =>
      new Noop(`pulumi-nodejs:dynamic/m365:Noop`, `noop-${key}`, {
        key,
        state: "disabled",
        __provider: PROVIDER,
        prior: undefined,
      }),
  );
}
