/**
 * The shapes of the tenant's answers that this project's code relies on: property names and types,
 * per read call (tenant/api.ts, tenant/facts.ts, tenant/exchange-reads.ts). One module, used by the
 * live conformance check and by the replay of a saved record, so both judge an answer the same way.
 *
 * A validator returns the problems it finds ("value[0].servicePlans[0].provisioningStatus: expected
 * string, got undefined"), an empty list when the answer has the shape. It never throws.
 */

/** A type a property must have: a JSON type name, a union, or a nested shape. */
type Spec =
  | "string"
  | "boolean"
  | "number"
  | "string|null"
  | "boolean|null"
  | "string[]"
  | "string|string[]"
  | "any"
  | { [key: string]: Spec }
  | [Spec];

const typeOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function check(value: unknown, spec: Spec, path: string, out: string[]): void {
  if (spec === "any") return;
  if (Array.isArray(spec)) {
    if (!Array.isArray(value)) {
      out.push(`${path}: expected an array, got ${typeOf(value)}`);
      return;
    }
    // The first rows are enough to see a shape; checking thousands would only repeat the finding.
    value.slice(0, 5).forEach((v, i) => check(v, spec[0], `${path}[${i}]`, out));
    return;
  }
  if (typeof spec === "object") {
    if (typeOf(value) !== "object") {
      out.push(`${path}: expected an object, got ${typeOf(value)}`);
      return;
    }
    for (const [k, s] of Object.entries(spec))
      check((value as Record<string, unknown>)[k], s, path ? `${path}.${k}` : k, out);
    return;
  }
  const allowed = spec.split("|");
  const t = typeOf(value);
  const ok = allowed.some((a) =>
    a === "string[]" ? Array.isArray(value) && value.every((x) => typeof x === "string") : a === t,
  );
  if (!ok) out.push(`${path}: expected ${spec}, got ${t === "undefined" ? "nothing" : t}`);
}

/** Validates `value` against `spec`; the problems, or [] when it fits. */
export function validate(value: unknown, spec: Spec, path = ""): string[] {
  const out: string[] = [];
  check(value, spec, path, out);
  return out;
}

const users = { id: "string", userPrincipalName: "string" } as const;
const user = { id: "string", userPrincipalName: "string", mail: "string|null", accountEnabled: "boolean" } as const;
const caUsers = {
  includeUsers: "string[]",
  excludeUsers: "string[]",
  includeGroups: "string[]",
  excludeGroups: "string[]",
  includeRoles: "string[]",
  excludeRoles: "string[]",
} as const;

/**
 * The shape of each read's answer, by check id (cli/conformance/checks.ts). Collections are the rows
 * (`value` of every page); Exchange answers are InvokeCommand's rows.
 */
export const SHAPES = {
  "graph.securityDefaults": { isEnabled: "boolean" },
  "graph.users.list": [users],
  "graph.users.get": user,
  "graph.users.byAddress": [user],
  "graph.licenseDetails": [
    { skuPartNumber: "string", servicePlans: [{ servicePlanName: "string", provisioningStatus: "string" }] },
  ],
  "graph.perUserMfa": { perUserMfaState: "string" },
  "graph.perUserMfa.batch": { states: "number" },
  "graph.conditionalAccess": [
    {
      id: "string",
      displayName: "string",
      state: "string",
      conditions: {
        clientAppTypes: "string[]",
        users: caUsers,
        applications: { includeApplications: "string[]", excludeApplications: "string[]" },
      },
      grantControls: "any",
    },
  ],
  "graph.memberOf": [{ "@odata.type": "string", id: "string" }],
  "exchange.Get-CASMailbox": [{ PrimarySmtpAddress: "string", SmtpClientAuthenticationDisabled: "boolean|null" }],
  "exchange.Get-CASMailbox.list": [{ PrimarySmtpAddress: "string", SmtpClientAuthenticationDisabled: "boolean|null" }],
  "exchange.Get-TransportConfig": [{ SmtpClientAuthenticationDisabled: "boolean" }],
  "exchange.Get-OrganizationConfig": [{ DefaultAuthenticationPolicy: "string|null" }],
  "exchange.Get-AuthenticationPolicy": [{ Name: "string", AllowBasicAuthSmtp: "boolean" }],
  "exchange.Get-User": [{ AuthenticationPolicy: "string|null" }],
  "exchange.Get-ServicePrincipal": [{ AppId: "string", DisplayName: "string" }],
  "exchange.Get-MailboxPermission": [{ User: "string", AccessRights: "string|string[]" }],
} as const satisfies Record<string, Spec>;

/** Id of a read whose answer has a known shape. */
export type ShapeId = keyof typeof SHAPES;

/** Extra rules a type alone cannot say; each returns problems. */
const RULES: Partial<Record<ShapeId, (v: unknown) => string[]>> = {
  "graph.perUserMfa": (v) => {
    const s = (v as { perUserMfaState?: unknown }).perUserMfaState;
    return ["disabled", "enabled", "enforced"].includes(s as string)
      ? []
      : [`perUserMfaState: expected disabled, enabled or enforced, got ${JSON.stringify(s)}`];
  },
  // A directory role without roleTemplateId is "limited information": a permission, not a shape, problem.
  "exchange.Get-ServicePrincipal": (v) =>
    (v as Record<string, unknown>[])
      .slice(0, 5)
      .flatMap((r, i) =>
        typeof r.ObjectId === "string" || typeof r.ServiceId === "string"
          ? []
          : [`[${i}]: expected ObjectId or ServiceId (string)`],
      ),
};

/** The problems of an answer to the read `id`; [] when it has the shape the code relies on. */
export function validateAnswer(id: ShapeId, answer: unknown): string[] {
  const problems = validate(answer, SHAPES[id]);
  return problems.length > 0 ? problems : (RULES[id]?.(answer) ?? []);
}
