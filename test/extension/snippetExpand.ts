// Expands a VS Code snippet body the way the editor does when every placeholder keeps its default:
// tabstops and $0 vanish, ${n:default} and ${n|a,b|} give their default (mirrors repeat it), variables
// their default, and \$ \} \\ are literals. Test helper for the snippet check.

export function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  const defaults = new Map<string, string>();
  let i = 0;

  const parse = (stopAtBrace: boolean): string => {
    let out = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) {
        out += text[i + 1];
        i += 2;
      } else if (stopAtBrace && c === '}') {
        return out;
      } else if (c === '$') {
        out += dollar();
      } else {
        out += c;
        i++;
      }
    }
    if (stopAtBrace) throw new Error(`unterminated \${ in snippet: ${text}`);
    return out;
  };

  const dollar = (): string => {
    i++; // $
    const simple = /^(\d+|[A-Z_][A-Z_0-9]*)/.exec(text.slice(i));
    if (simple) {
      i += simple[0].length;
      return defaults.get(simple[0]) ?? '';
    }
    if (text[i] !== '{') return '$';
    i++; // {
    const head = /^(\d+|[A-Za-z_][A-Za-z_0-9]*)/.exec(text.slice(i));
    if (!head) throw new Error(`bad \${ at ${i} in snippet: ${text}`);
    const id = head[0];
    i += id.length;
    let value = '';
    if (text[i] === ':') {
      i++;
      value = parse(true);
    } else if (text[i] === '|') {
      const end = text.indexOf('|}', i + 1);
      value = text.slice(i + 1, end).split(',')[0];
      i = end + 1;
    } else if (text[i] !== '}') throw new Error(`unsupported \${${id}${text[i]} in snippet: ${text}`);
    i++; // }
    if (defaults.has(id) && value === '') value = defaults.get(id)!;
    if (!defaults.has(id)) defaults.set(id, value);
    return value;
  };

  return parse(false);
}
