// The worker thread a one-shot scan (`bgtask check`) hands its code files to: it compiles the grammars
// and extracts facts while the main thread is still reading the workspace, so neither the grammar
// compile nor the parsers' warm-up waits for the reading to end. Facts go back as plain data.
import { parentPort } from 'node:worker_threads';
import { emptyFacts, type FileFacts, type FileKind } from '../facts/types';
import { extractFacts, grammarFor } from '../parsers/extract';
import { loadGrammar, type GrammarId } from '../parsers/treeSitter';

export type ToWorker =
  /** Start compiling these grammars now (the file names suggest them). */
  | { prefetch: GrammarId[] }
  | { index: number; file: string; kind: FileKind; text: string };

export interface FromWorker {
  index: number;
  facts: FileFacts;
}

function extract(file: string, kind: FileKind, text: string): FileFacts {
  try {
    return extractFacts(file, kind, text);
  } catch (error) {
    // As Engine.setFile does: an extractor bug becomes a problem on the file.
    const facts = emptyFacts(file, kind);
    facts.problems.push({ message: `bgtask could not analyse this file: ${(error as Error).message}`, span: { start: 0, end: 0 } });
    return facts;
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (message: ToWorker) => {
    if ('prefetch' in message) {
      for (const id of message.prefetch) loadGrammar(id).catch(() => undefined); // a failure shows on the file that needs it
      return;
    }
    const { index, file, kind, text } = message;
    const id = grammarFor(kind, file);
    (id ? loadGrammar(id) : Promise.resolve()).then(
      () => port.postMessage({ index, facts: extract(file, kind, text) } satisfies FromWorker),
      (error: Error) => {
        const facts = emptyFacts(file, kind);
        facts.problems.push({ message: `bgtask could not load the ${id} grammar: ${error.message}`, span: { start: 0, end: 0 } });
        port.postMessage({ index, facts } satisfies FromWorker);
      },
    );
  });
}
