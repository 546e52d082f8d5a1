/**
 * Where a worker thread's or a child process's script is. Compiled code finds its sibling `.js`; under vitest
 * the caller runs from `src/*.ts`, which neither can load, so the compiled twin in `dist/` (built by the test
 * setup) is used.
 */
import { existsSync } from 'node:fs';

export function workerScript(file: string, importMetaUrl: string): URL {
  const url = new URL(file, importMetaUrl);
  if (existsSync(url)) return url;
  return new URL(url.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
}
