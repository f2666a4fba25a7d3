// A small JSON parser that records the line of every value by path, so a scenario error can say
// "file:line: what is wrong". Syntax errors carry their line and column.
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

export interface Positioned {
  value: unknown;
  /** JSON-pointer-like path ("/steps/3/fire") → 1-based line. */
  lines: Map<string, number>;
}

export function parseWithPositions(text: string): Positioned {
  let i = 0;
  const lines = new Map<string, number>();
  const lineAt = (pos: number) => {
    let n = 1;
    for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) n++;
    return n;
  };
  const fail = (msg: string): never => {
    const line = lineAt(i);
    const column = i - text.lastIndexOf('\n', i - 1);
    throw new JsonSyntaxError(msg, line, column);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (p: string): unknown => {
    ws();
    lines.set(p, lineAt(i));
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name in double quotes');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        o[k] = value(`${p}/${k}`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return o;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(`${p}/${a.length}`));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return a;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m) return fail(c === undefined ? 'unexpected end of file' : `unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      return fail('invalid string escape');
    }
  };
  const v = value('');
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return { value: v, lines };
}
