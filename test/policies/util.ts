/**
 * Builds policy arguments the way the engine does (props behind the unknown-checking proxy) and runs
 * a policy, collecting its violations. Modelled on pulumi-policy-aws src/tests/util.ts.
 */
import {
  unknownCheckingProxy,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "../../policies/testing.ts";

const emptyOptions: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const notApplicable = (reason?: string): never => {
  throw new Error(`notApplicable called: ${reason ?? ""}`);
};

/** A violation as reported: the message, and the URN a stack policy named. */
export interface Violation {
  message: string;
  urn?: string;
}

/** ResourceValidationArgs for a resource of `type` with input `props` and the policy's `config`. */
export function createResourceValidationArgs(
  type: string,
  props: Record<string, unknown>,
  config: object = {},
  name = "test",
): ResourceValidationArgs {
  return {
    type,
    props: unknownCheckingProxy(props),
    urn: `urn:pulumi:test::test::${type}::${name}`,
    name,
    opts: emptyOptions,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

/** One stack resource for {@link createStackValidationArgs}. */
export interface StackResourceSpec {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** The URN the helpers give a resource. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::test::${type}::${name}`;
}

/** StackValidationArgs for a stack holding `resources` (props are their outputs) and the policy's `config`. */
export function createStackValidationArgs(resources: StackResourceSpec[], config: object = {}): StackValidationArgs {
  return {
    resources: resources.map((r): PolicyResource => ({
      type: r.type,
      name: r.name,
      urn: urnOf(r.type, r.name),
      props: unknownCheckingProxy(r.props),
      opts: emptyOptions,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    })),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

/** Runs every validation of a resource policy and returns what it reported. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  args: ResourceValidationArgs,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const validate = policy.validateResource ?? [];
  const validations = Array.isArray(validate) ? validate : [validate];
  for (const validate of validations) {
    await validate(args, (message, urn) => violations.push(urn === undefined ? { message } : { message, urn }));
  }
  return violations;
}

/** Runs a stack policy and returns what it reported. */
export async function runStackPolicy(policy: StackValidationPolicy, args: StackValidationArgs): Promise<Violation[]> {
  const violations: Violation[] = [];
  await policy.validateStack(args, (message, urn) =>
    violations.push(urn === undefined ? { message } : { message, urn }),
  );
  return violations;
}

/** The messages of `violations`, in the order reported. */
export function messages(violations: Violation[]): string[] {
  return violations.map((v) => v.message);
}
