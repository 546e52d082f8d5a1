/**
 * The curation file of `tpot communities import|export` (docs/DATA-MODEL.md, "Communities"):
 *
 *     {"communities": [{"name", "short", "color", "description", "seeds": [handle or id, …]}]}
 *
 * Read strictly: an unknown or wrong field is an error naming its path
 * (`communities[2].colour: unknown field`), so a typo is never silently dropped. Written stably —
 * 2-space indent, a newline at the end, communities by short name and seeds sorted — so export →
 * import → export gives the same bytes.
 */
import { z } from 'zod';
import { TpotError, errorMessage } from '../errors.js';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const curationFileSchema = z
  .object({
    communities: z.array(
      z
        .object({
          name: text(80).refine((s) => s.trim().length > 0, 'must not be empty'),
          short: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, "must be a letter then letters, digits, '_' or '-'"),
          color: z
            .string()
            .regex(/^#[0-9A-Fa-f]{6}$/, 'must be #rrggbb')
            .optional(),
          description: text(2000).optional(),
          seeds: z.array(z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters')),
        })
        .strict(),
    ),
  })
  .strict();

export type CurationFile = z.infer<typeof curationFileSchema>;
export type CurationFileCommunity = CurationFile['communities'][number];

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(top level)';
}

/** The file's text as a typed value, or a usage error naming the file and the field. */
export function parseCurationFile(content: string, fileName: string): CurationFile {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new TpotError('usage', `${fileName} is not valid JSON: ${errorMessage(error)}`);
  }
  const result = curationFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const [field, message] =
      issue.code === 'unrecognized_keys'
        ? [pathOf([...issue.path, issue.keys[0]!]), 'unknown field']
        : [pathOf(issue.path), issue.message];
    throw new TpotError('usage', `${fileName}: ${field}: ${message}`);
  }
  const shorts = new Map<string, number>();
  const names = new Map<string, number>();
  result.data.communities.forEach((c, i) => {
    const short = c.short.toLowerCase();
    const name = c.name.trim().toLowerCase();
    if (shorts.has(short))
      throw new TpotError(
        'usage',
        `${fileName}: communities[${i}].short: ${JSON.stringify(c.short)} ` +
          `is also the short name of communities[${shorts.get(short)}]`,
      );
    if (names.has(name))
      throw new TpotError(
        'usage',
        `${fileName}: communities[${i}].name: ${JSON.stringify(c.name)} ` +
          `is also the name of communities[${names.get(name)}]`,
      );
    shorts.set(short, i);
    names.set(name, i);
  });
  return result.data;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The file's text: communities by short name (case-insensitive), each with its fields in one order
 * and its seeds sorted and deduplicated.
 */
export function serialiseCurationFile(file: CurationFile): string {
  const communities = [...file.communities]
    .sort((a, b) => byText(a.short.toLowerCase(), b.short.toLowerCase()))
    .map((c) => ({
      short: c.short,
      name: c.name,
      ...(c.color === undefined ? {} : { color: c.color.toLowerCase() }),
      description: c.description ?? '',
      seeds: [...new Set(c.seeds)].sort(byText),
    }));
  return `${JSON.stringify({ communities }, null, 2)}\n`;
}
