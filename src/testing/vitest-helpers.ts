/** Hooks shared by test files (vitest-only: excluded from the build). */
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './fixtures.js';

/** A fresh temporary directory for each test of the enclosing block; `.path` is valid inside tests. */
export function useTempDir(): { readonly path: string } {
  let dir: ReturnType<typeof tempDir> | null = null;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    dir?.remove();
    dir = null;
  });
  return {
    get path(): string {
      if (!dir) throw new Error('useTempDir: only inside a test');
      return dir.path;
    },
  };
}
