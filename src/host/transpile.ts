// TypeScript task code → JavaScript for the sandbox, with sucrase: pure JavaScript, bundled into the
// host (it works from the installed .vsix and the npm package on every OS, unlike esbuild's native
// binary), with an inline source map so breakpoints in the .ts file bind under the debugger.
import { transform } from 'sucrase';

export function transpileTask(code: string, file: string): string {
  const out = transform(code, {
    transforms: ['typescript', 'imports'],
    filePath: file,
    sourceMapOptions: { compiledFilename: file.replace(/\.[cm]?tsx?$/i, '.js') },
    production: true,
  });
  const map = out.sourceMap ? { ...out.sourceMap, sources: [file], sourcesContent: [code] } : undefined;
  return map ? `${out.code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}` : out.code;
}
