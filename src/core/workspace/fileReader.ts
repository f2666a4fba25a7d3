// Reads files and sorts them by relevance from their raw bytes: most files of an app never mention
// background tasks, so they are searched in one reused buffer and never decoded. (Reading them on a
// second thread was measured and did not pay: reading 5,000 files takes ~35 ms, parsing dominates.)
import * as fs from 'node:fs';

export type FileRead =
  /** The marker is not in the file (and it is not a file that is always read). */
  | { index: number; irrelevant: true }
  /** The whole file (for always-read files, UTF-16 files, and files holding the marker). */
  | { index: number; bytes: Uint8Array }
  /** Over the size limit; `size` when known. */
  | { index: number; oversize: true; size?: number }
  | { index: number; error: { code?: string; message: string } };

/**
 * Read `files[i]` for each `i` of `indices`, reporting each through `emit`. `alwaysRead[i]` files are
 * returned whatever they hold. No fstat per file: the buffer grows until EOF, up to `limit` bytes;
 * past that the rest is only searched for the marker and the file is reported oversize.
 */
export function readFiles(files: readonly string[], alwaysRead: readonly boolean[], indices: readonly number[], markerText: string, limit: number, emit: (read: FileRead) => void): void {
  const marker = Buffer.from(markerText);
  let buffer = Buffer.allocUnsafe(1 << 20);
  const isUtf16 = (b: Buffer) => b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
  for (const index of indices) {
    let fd: number;
    try {
      fd = fs.openSync(files[index], 'r');
    } catch (e) {
      emit({ index, error: { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message } });
      continue;
    }
    try {
      let filled = 0;
      let oversize = false;
      let markerPastLimit = false;
      for (;;) {
        if (filled === buffer.length) {
          if (filled > limit) {
            oversize = true;
            if (buffer.indexOf(marker) < 0) {
              // Search the rest without keeping it.
              const window = Buffer.allocUnsafe(1 << 20);
              const keep = marker.length - 1;
              buffer.copy(window, 0, filled - keep, filled);
              for (;;) {
                const n = fs.readSync(fd, window, keep, window.length - keep, null);
                if (n === 0) break;
                if (window.subarray(0, keep + n).indexOf(marker) >= 0) {
                  markerPastLimit = true;
                  break;
                }
                window.copy(window, 0, n, keep + n);
              }
            }
            break;
          }
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, filled);
          buffer = bigger;
        }
        const n = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
      const bytes = buffer.subarray(0, filled);
      const relevant = alwaysRead[index] || isUtf16(bytes) || markerPastLimit || bytes.indexOf(marker) >= 0;
      if (!relevant) emit({ index, irrelevant: true });
      else if (oversize || filled > limit) emit({ index, oversize: true, size: oversize ? undefined : filled });
      else {
        // A copy with its own ArrayBuffer: the scratch buffer is reused, and the worker transfers it.
        const copy = new Uint8Array(filled);
        copy.set(bytes);
        emit({ index, bytes: copy });
      }
    } catch (e) {
      emit({ index, error: { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message } });
    } finally {
      fs.closeSync(fd);
    }
  }
}
