// manifest-not-well-formed: the manifest is not well-formed XML. The finding sits at the parser's
// exact line and column; every other manifest rule is silent on such a file (its facts are partial).
import type { FileRule } from '../types';

export const rule: FileRule = {
  id: 'manifest-not-well-formed',
  severity: 'error',
  title: 'The app manifest is not well-formed XML.',
  source: '§3 (the manifest schemas)',
  reads: ['manifest'],
  scope: 'file',
  checkFile(file, ctx) {
    const error = file.manifest?.syntaxError;
    if (!error) return;
    ctx.report({ path: file.path, span: error.span, message: `The manifest is not well-formed XML: ${error.message}` });
  },
};
