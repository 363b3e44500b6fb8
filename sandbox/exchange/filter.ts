/**
 * The OPATH -Filter subset the sandbox models for Get-CASMailbox / Get-User:
 * `<Property> -eq|-ne <value>` clauses joined by -and, where value is $true, $false, $null or a
 * quoted string, e.g. "SmtpClientAuthenticationDisabled -eq $true".
 */
export type OpathValue = string | boolean | null;
export interface OpathClause {
  property: string;
  op: "eq" | "ne";
  value: OpathValue;
}

export class OpathUnsupported extends Error {}
/** A clause on a property outside the cmdlet's filterable list. */
export class OpathNotFilterable extends OpathUnsupported {
  readonly property: string;
  constructor(property: string) {
    super(`-Filter on the property '${property}'`);
    this.property = property;
  }
}
export class OpathSyntax extends Error {}

/** Parses the filter; throws OpathSyntax for text it cannot read, OpathUnsupported for valid OPATH it does not model. */
export function parseOpath(src: string, properties: readonly string[]): OpathClause[] {
  let s = src.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  if (/-or\b|-not\b|-like\b|-gt\b|-lt\b|-ge\b|-le\b/i.test(s))
    throw new OpathUnsupported(`the OPATH operator in "${src}"`);
  const parts = s.split(/\s+-and\s+/i);
  return parts.map((p) => {
    let t = p.trim();
    while (t.startsWith("(") && t.endsWith(")")) t = t.slice(1, -1).trim();
    const m = /^([A-Za-z][A-Za-z0-9]*)\s+-(eq|ne)\s+(.+)$/i.exec(t);
    if (!m) throw new OpathSyntax(src);
    const prop = properties.find((x) => x.toLowerCase() === m[1]!.toLowerCase());
    if (!prop) throw new OpathNotFilterable(m[1]!);
    const raw = m[3]!.trim();
    let value: OpathValue;
    if (/^\$true$/i.test(raw)) value = true;
    else if (/^\$false$/i.test(raw)) value = false;
    else if (/^\$null$/i.test(raw)) value = null;
    else if (/^'.*'$/.test(raw) || /^".*"$/.test(raw)) value = raw.slice(1, -1).replaceAll("''", "'");
    else throw new OpathSyntax(src);
    return { property: prop, op: m[2]!.toLowerCase() as "eq" | "ne", value };
  });
}

/** Evaluates clauses against a record (string comparison case-insensitive). */
export function matchesOpath(clauses: readonly OpathClause[], get: (prop: string) => OpathValue): boolean {
  return clauses.every((c) => {
    const v = get(c.property);
    const eq =
      typeof v === "string" && typeof c.value === "string" ? v.toLowerCase() === c.value.toLowerCase() : v === c.value;
    return c.op === "eq" ? eq : !eq;
  });
}
