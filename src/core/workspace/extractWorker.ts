// A worker thread that parses and extracts facts for files the main thread sends it, so that on a
// cold `bgtask check` parsing runs on the second core while the main thread is still reading files.
import { parentPort } from 'node:worker_threads';
import { extractFacts, grammarFor } from '../parsers/extract';
import type { FileFacts, FileKind } from '../facts/types';
import { emptyFacts } from '../facts/types';
import { loadGrammar, type GrammarId } from '../parsers/treeSitter';

export interface ExtractRequest {
  id: number;
  path: string;
  kind: FileKind;
  text: string;
}

export interface ExtractReply {
  id: number;
  facts: FileFacts;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: ExtractRequest | { warm: GrammarId[] }) => {
    if ('warm' in request) {
      for (const id of request.warm) void loadGrammar(id).catch(() => undefined);
      return;
    }
    const id = grammarFor(request.kind, request.path);
    (id ? loadGrammar(id) : Promise.resolve()).then(
      () => {
        let facts: FileFacts;
        try {
          facts = extractFacts(request.path, request.kind, request.text);
        } catch (error) {
          facts = emptyFacts(request.path, request.kind);
          facts.problems.push({ message: `bgtask could not analyse this file: ${(error as Error).message}`, span: { start: 0, end: 0 } });
        }
        port.postMessage({ id: request.id, facts } satisfies ExtractReply);
      },
      (error: Error) => {
        const facts = emptyFacts(request.path, request.kind);
        facts.problems.push({ message: `bgtask could not load its parser: ${error.message}`, span: { start: 0, end: 0 } });
        port.postMessage({ id: request.id, facts } satisfies ExtractReply);
      },
    );
  });
}
