/**
 * `--usernames-file`: one username per line (`#` starts a comment), or a JSON array of names, or a
 * JSON object whose keys are names (like the toolkit's bucket-urls.json of 183 archives).
 */
import { existsSync, readFileSync } from 'node:fs';
import { errorMessage, UsageError } from '../errors.js';

export function readUsernamesFile(path: string): string[] {
  if (!existsSync(path)) throw new UsageError(`Usernames file not found: ${path}`);
  const text = readFileSync(path, 'utf8');
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`Usernames file ${path} looks like JSON but does not parse: ${errorMessage(error)}`);
    }
    const names = Array.isArray(parsed) ? parsed : Object.keys(parsed as object);
    if (!names.every((name) => typeof name === 'string'))
      throw new UsageError(`Usernames file ${path}: every entry must be a string`);
    return names;
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}
