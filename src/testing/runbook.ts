/**
 * The SQL blocks of docs/OPERATIONS.md (each ```sql block, named by its `-- name:` line), as the runbook's tests run
 * them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.js';

export interface RunbookBlock {
  name: string;
  sql: string;
}

export function runbookBlocks(): RunbookBlock[] {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'OPERATIONS.md'), 'utf8');
  return [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((match, i) => {
    const sql = match[1]!;
    return { name: /-- name: (\S+)/.exec(sql)?.[1] ?? `block ${i + 1}`, sql };
  });
}

export function runbookSql(name: string): string {
  const block = runbookBlocks().find((b) => b.name === name);
  if (!block) throw new Error(`docs/OPERATIONS.md has no SQL block named ${name}`);
  return block.sql;
}
