/**
 * What the tests in the root package need from @pulumi/policy, which is installed in this package
 * only. Not used by the pack itself.
 * @internal
 */
export { unknownCheckingProxy } from "./support.ts";
export type {
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/**
 * The values the engine sends for inputs unknown during preview, by type (@pulumi/policy
 * proxy.js). The pack's props proxy throws UnknownValueError when a policy reads one.
 */
export const UNKNOWN_SENTINELS = {
  boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;
