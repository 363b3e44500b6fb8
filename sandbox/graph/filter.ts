/**
 * A small OData $filter parser and evaluator for directory objects (users), covering the forms the
 * project uses: `prop eq 'v'`, `prop eq true|false|null`, `startswith(prop,'v')`, `prop in ('a','b')`,
 * joined with and/or and parentheses; `ne`, `not` and `endswith` are advanced queries (they need
 * ConsistencyLevel: eventual and $count=true, as on Graph). On a string collection (proxyAddresses) the
 * lambda `prop/any(x:x eq 'v')` and `prop/any(x:startswith(x,'v'))` are modelled; other lambdas
 * (over objects such as assignedLicenses) are reported as unmodelled, like anything else.
 */

export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: "cmp"; op: "eq" | "ne"; prop: string; value: Literal }
  | { kind: "in"; prop: string; values: Literal[] }
  | { kind: "fn"; fn: "startswith" | "endswith"; prop: string; value: string }
  | { kind: "any"; prop: string; op: "eq" | "startswith"; value: string }
  | { kind: "not"; expr: FilterNode }
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode };

/** Thrown for text that is not valid OData. */
export class FilterSyntaxError extends Error {}
/** Thrown for valid OData the sandbox does not model (lambda operators, other functions, ge/lt…). */
export class FilterUnsupportedError extends Error {}

type Tok =
  | { t: "str"; v: string }
  | { t: "word"; v: string }
  | { t: "num"; v: number }
  | { t: "punct"; v: "(" | ")" | "," | "/" | ":" };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterSyntaxError("unterminated string literal");
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i];
        i++;
      }
      out.push({ t: "str", v: s });
    } else if (c === "(" || c === ")" || c === "," || c === "/" || c === ":") {
      out.push({ t: "punct", v: c });
      i++;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${c}'`);
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_$@]/.test(c)) {
      const m = /^[A-Za-z_$@][A-Za-z0-9_.$@]*/.exec(src.slice(i))!;
      out.push({ t: "word", v: m[0] });
      i += m[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected '${c}'`);
    }
  }
  return out;
}

/** Parses a $filter expression. Throws FilterSyntaxError or FilterUnsupportedError. */
export function parseFilter(src: string): FilterNode {
  // Lambdas over anything but a string collection (e.g. assignedLicenses/any(x:x/skuId eq …)) are not modelled.
  if (/(?<!proxyAddresses)\/\s*(any|all)\s*\(|proxyAddresses\/\s*all\s*\(/i.test(src))
    throw new FilterUnsupportedError("lambda operators (any/all)");
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isWord = (w: string) => {
    const t = peek();
    return t?.t === "word" && t.v.toLowerCase() === w;
  };
  const expectPunct = (p: string) => {
    const t = toks[pos++];
    if (t?.t !== "punct" || t.v !== p) throw new FilterSyntaxError(`expected '${p}'`);
  };
  const literal = (): Literal => {
    const t = toks[pos++];
    if (!t) throw new FilterSyntaxError("expected a value");
    if (t.t === "str" || t.t === "num") return t.v;
    if (t.t === "word") {
      const w = t.v.toLowerCase();
      if (w === "true") return true;
      if (w === "false") return false;
      if (w === "null") return null;
    }
    throw new FilterSyntaxError("expected a literal");
  };
  const isPunct = (p: string, at = pos) => {
    const t = toks[at];
    return t?.t === "punct" && t.v === p;
  };
  const property = (): string => {
    const t = toks[pos++];
    if (t?.t !== "word") throw new FilterSyntaxError("expected a property name");
    if (isPunct("/")) throw new FilterUnsupportedError(`$filter on navigation path '${t.v}/…'`);
    return t.v;
  };
  /** `prop/any(x:x eq 'v')` or `prop/any(x:startswith(x,'v'))`, positioned at `prop`. */
  const lambda = (): FilterNode => {
    const prop = (toks[pos] as { v: string }).v;
    const fn = toks[pos + 2];
    if (fn?.t !== "word" || fn.v.toLowerCase() !== "any")
      throw new FilterUnsupportedError("lambda operators (any/all)");
    pos += 3;
    expectPunct("(");
    const v = toks[pos++];
    if (v?.t !== "word") throw new FilterSyntaxError("expected a lambda variable");
    expectPunct(":");
    const t = peek();
    let node: FilterNode;
    if (t?.t === "word" && t.v.toLowerCase() === "startswith" && isPunct("(", pos + 1)) {
      pos += 2;
      const arg = toks[pos++];
      if (arg?.t !== "word" || arg.v !== v.v) throw new FilterUnsupportedError("lambda operators (any/all)");
      expectPunct(",");
      const lit = literal();
      expectPunct(")");
      if (typeof lit !== "string") throw new FilterSyntaxError("startswith needs a string");
      node = { kind: "any", prop, op: "startswith", value: lit };
    } else {
      const arg = toks[pos++];
      // x/skuId eq …: a lambda over objects, not modelled.
      if (arg?.t !== "word" || arg.v !== v.v || isPunct("/"))
        throw new FilterUnsupportedError("lambda operators (any/all)");
      const op = toks[pos++];
      if (op?.t !== "word" || op.v.toLowerCase() !== "eq")
        throw new FilterUnsupportedError("lambda operators (any/all)");
      const lit = literal();
      if (typeof lit !== "string") throw new FilterSyntaxError("expected a string");
      node = { kind: "any", prop, op: "eq", value: lit };
    }
    expectPunct(")");
    return node;
  };

  const primary = (): FilterNode => {
    if (isWord("not")) {
      pos++;
      return { kind: "not", expr: primary() };
    }
    const t = peek();
    if (t?.t === "punct" && t.v === "(") {
      pos++;
      const e = orExpr();
      expectPunct(")");
      return e;
    }
    if (t?.t === "word" && toks[pos + 1]?.t === "punct" && (toks[pos + 1] as { v: string }).v === "(") {
      const fn = t.v.toLowerCase();
      if (fn !== "startswith" && fn !== "endswith") throw new FilterUnsupportedError(`the $filter function '${t.v}'`);
      pos += 2;
      const prop = property();
      expectPunct(",");
      const v = literal();
      if (typeof v !== "string") throw new FilterSyntaxError(`${fn} needs a string`);
      expectPunct(")");
      return { kind: "fn", fn, prop, value: v };
    }
    if (t?.t === "word" && isPunct("/", pos + 1)) return lambda();
    const prop = property();
    const opTok = toks[pos++];
    if (opTok?.t !== "word") throw new FilterSyntaxError("expected an operator");
    const op = opTok.v.toLowerCase();
    if (op === "eq" || op === "ne") return { kind: "cmp", op, prop, value: literal() };
    if (op === "in") {
      expectPunct("(");
      const values = [literal()];
      while (peek()?.t === "punct" && (peek() as { v: string }).v === ",") {
        pos++;
        values.push(literal());
      }
      expectPunct(")");
      return { kind: "in", prop, values };
    }
    if (["gt", "ge", "lt", "le", "has", "any", "all"].includes(op))
      throw new FilterUnsupportedError(`the $filter operator '${op}'`);
    throw new FilterSyntaxError(`unknown operator '${opTok.v}'`);
  };
  const andExpr = (): FilterNode => {
    let left = primary();
    while (isWord("and")) {
      pos++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  function orExpr(): FilterNode {
    let left = andExpr();
    while (isWord("or")) {
      pos++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  }
  const tree = orExpr();
  if (pos !== toks.length) throw new FilterSyntaxError("unexpected text after the expression");
  return tree;
}

/** Properties named anywhere in the tree. */
export function filterProperties(n: FilterNode): string[] {
  switch (n.kind) {
    case "and":
    case "or":
      return [...filterProperties(n.left), ...filterProperties(n.right)];
    case "not":
      return filterProperties(n.expr);
    default:
      return [n.prop];
  }
}

/** True when the filter uses an advanced-query construct (ne, not, endswith). */
export function isAdvancedFilter(n: FilterNode): boolean {
  switch (n.kind) {
    case "and":
    case "or":
      return isAdvancedFilter(n.left) || isAdvancedFilter(n.right);
    case "not":
      return true;
    case "cmp":
      return n.op === "ne";
    case "fn":
      return n.fn === "endswith";
    default:
      return false;
  }
}

/** Evaluates the tree against an object's properties (string comparisons are case-insensitive, as in Entra). */
export function evaluateFilter(n: FilterNode, get: (prop: string) => Literal | readonly string[]): boolean {
  const norm = (v: Literal) => (typeof v === "string" ? v.toLowerCase() : v);
  switch (n.kind) {
    case "and":
      return evaluateFilter(n.left, get) && evaluateFilter(n.right, get);
    case "or":
      return evaluateFilter(n.left, get) || evaluateFilter(n.right, get);
    case "not":
      return !evaluateFilter(n.expr, get);
    case "any": {
      const values = get(n.prop);
      if (!Array.isArray(values)) return false;
      const want = n.value.toLowerCase();
      return values.some((v: string) => (n.op === "eq" ? v.toLowerCase() === want : v.toLowerCase().startsWith(want)));
    }
    case "cmp": {
      const eq = norm(get(n.prop) as Literal) === norm(n.value);
      return n.op === "eq" ? eq : !eq;
    }
    case "in":
      return n.values.map(norm).includes(norm(get(n.prop) as Literal));
    case "fn": {
      const v = get(n.prop) as Literal;
      if (typeof v !== "string") return false;
      return n.fn === "startswith"
        ? v.toLowerCase().startsWith(n.value.toLowerCase())
        : v.toLowerCase().endsWith(n.value.toLowerCase());
    }
  }
}
