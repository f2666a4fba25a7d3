// PLACEHOLDER: being written by a helper. Returns no facts yet.
import { emptyFacts, type FileFacts } from '../facts/types';

export function extractCpp(path: string, text: string): FileFacts {
  void text;
  return emptyFacts(path, 'cppcx');
}
