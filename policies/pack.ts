/**
 * The m365-smtp-auth CrossGuard policy pack. Constructing the PolicyPack starts its gRPC server, so
 * only the engine should load this module (through index.js); tests import the area files.
 */
import { PolicyPack } from "@pulumi/policy";
import { m365Policies } from "./registry.ts";

new PolicyPack("m365-smtp-auth", { policies: m365Policies.policies() });
