// PLACEHOLDER: being written by a helper. Returns no facts yet.
import { emptyFacts, type FileFacts } from '../facts/types';

export function extractManifest(path: string, text: string): FileFacts {
  void text;
  return emptyFacts(path, 'manifest');
}
