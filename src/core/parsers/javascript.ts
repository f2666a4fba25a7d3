// PLACEHOLDER: being written by a helper. Returns no facts yet.
import { emptyFacts, type FileFacts } from '../facts/types';

export function extractJavaScript(path: string, text: string, isTypeScript: boolean): FileFacts {
  void text;
  return emptyFacts(path, isTypeScript ? 'typescript' : 'javascript');
}
