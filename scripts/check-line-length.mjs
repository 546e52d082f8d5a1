#!/usr/bin/env node
// Lines of code stay within 120 characters (docs/ARCHITECTURE.md, "Tooling"). Prettier lays out
// code to that width but leaves long strings and comments alone; this check catches those. It
// reads the files git tracks (and new ones it does not ignore), except fixtures/, which hold data.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const WIDTH = 120;
const CODE = /\.(ts|tsx|js|mjs|cjs)$/;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((path) => CODE.test(path) && !path.startsWith('fixtures/'));

const long = [];
for (const path of files) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    continue; // deleted in the working tree, not yet in the index
  }
  text.split('\n').forEach((line, i) => {
    if (line.length > WIDTH) long.push(`${path}:${i + 1}: ${line.length} characters`);
  });
}
if (long.length > 0) {
  console.error(`${long.length} lines over ${WIDTH} characters:\n${long.join('\n')}`);
  process.exit(1);
}
