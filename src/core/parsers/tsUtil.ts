// Small, language-neutral helpers over web-tree-sitter nodes shared by the extractors: spans, a
// walk that visits only the node types a caller names (a query runs the traversal inside the wasm
// module), ancestor searches, and line/indentation lookups for fixes. Offsets are UTF-16 code units.
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import type { FileFacts, RegistrationFact, Span } from '../facts/types';

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

export function contains(outer: Span | Node, inner: Span | Node): boolean {
  const o = 'startIndex' in outer ? spanOf(outer) : outer;
  const i = 'startIndex' in inner ? spanOf(inner) : inner;
  return o.start <= i.start && i.end <= o.end;
}

export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

const typeQueries = new WeakMap<Language, Map<string, Query>>();

/** One query capturing every named node of the given types (names the grammar lacks are left out), compiled once per grammar. */
function typeQuery(language: Language, types: ReadonlySet<string>): Query | undefined {
  const key = [...types].sort().join(' ');
  let byKey = typeQueries.get(language);
  if (!byKey) typeQueries.set(language, (byKey = new Map()));
  let query = byKey.get(key);
  if (!query) {
    const known = [...types].filter((t) => t === 'ERROR' || language.idForNodeType(t, true) !== null);
    if (!known.length) return undefined;
    query = new Query(language, `[${known.map((t) => `(${t})`).join(' ')}] @node`);
    byKey.set(key, query);
  }
  return query;
}

/**
 * Depth-first, in document order, over the named nodes whose type is in `types` (parents before
 * their children). `enter` may ask for the node; `leave` is called for every node that `enter`
 * returned true for, after its subtree. The traversal itself runs in the wasm module (a query), so
 * only these nodes cross into JavaScript (in the bench's C# task files, one node in twelve).
 * `depth` counts the tracked (entered-true) nodes around the current one.
 */
export function walk(
  tree: Tree,
  types: ReadonlySet<string>,
  enter: (type: string, node: () => Node, depth: number) => boolean | void,
  leave?: (depth: number) => void,
): void {
  const query = typeQuery(tree.language, types);
  if (!query) return;
  const open: number[] = []; // end offsets of the tracked nodes around the current one
  for (const { node } of query.captures(tree.rootNode)) {
    const start = node.startIndex;
    while (open.length && open[open.length - 1] <= start) {
      open.pop();
      leave?.(open.length);
    }
    if (enter(node.type, () => node, open.length) === true) open.push(node.endIndex);
  }
  while (open.length) {
    open.pop();
    leave?.(open.length);
  }
}

/** The nearest ancestor whose type is in `types`, not crossing a node whose type is in `stop`. */
export function ancestor(node: Node, types: ReadonlySet<string>, stop?: ReadonlySet<string>): Node | null {
  for (let n = node.parent; n; n = n.parent) {
    if (types.has(n.type)) return n;
    if (stop?.has(n.type)) return null;
  }
  return null;
}

export function namedChildOfType(node: Node, type: string): Node | null {
  for (const c of node.namedChildren) if (c && c.type === type) return c;
  return null;
}

export function namedChildrenOfType(node: Node, type: string): Node[] {
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c && c.type === type) out.push(c);
  return out;
}

/** The first unnamed (token) child with this type, e.g. the `class` keyword or the `{` of a body. */
export function tokenChild(node: Node, type: string): Node | null {
  for (const c of node.children) if (c && !c.isNamed && c.type === type) return c;
  return null;
}

export function lineStartAt(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

/** Leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  let end = start;
  while (end < text.length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
  return text.slice(start, end);
}

/** One level of indentation as the file writes it: a tab when `indent` uses tabs, else four spaces. */
export function indentUnit(indent: string): string {
  return indent.includes('\t') ? '\t' : '    ';
}

/** Node text with all whitespace removed (`a . b` and `a.b` compare equal). */
export function compactText(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/**
 * Parse `text` and hand the tree to `extract`, never letting a failure escape: facts gathered before
 * an error stay, and a problem on the file says why the rest is missing. The tree is always freed.
 */
export function withTree(parse: () => Tree | null, facts: FileFacts, language: string, extract: (tree: Tree) => void): FileFacts {
  let tree: Tree | null = null;
  try {
    tree = parse();
    if (tree) extract(tree);
  } catch (error) {
    facts.problems.push({ message: `${language} analysis failed: ${error instanceof Error ? error.message : String(error)}`, span: { start: 0, end: 0 } });
  } finally {
    tree?.delete();
  }
  return facts;
}

/** What the extractors know of a builder when they turn it into a registration fact. */
export interface BuilderLike {
  fact: RegistrationFact;
  /** Builder property → parameter index of the enclosing function, when the values come from parameters. */
  helper: NonNullable<RegistrationFact['helperParameters']>;
}

/** Registration facts from builders: a builder fed by its function's parameters marks that function as a helper. */
export function registrationsOf<B extends BuilderLike>(builders: readonly B[], helperName: (b: B) => string | undefined): { registrations: RegistrationFact[]; helperNames: Set<string> } {
  const registrations: RegistrationFact[] = [];
  const helperNames = new Set<string>();
  for (const b of builders) {
    const name = helperName(b);
    if (Object.keys(b.helper).length && name) {
      b.fact.helperParameters = b.helper;
      helperNames.add(name);
    }
    registrations.push(b.fact);
  }
  return { registrations, helperNames };
}
