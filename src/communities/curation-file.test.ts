/** The curation file's format (docs/DATA-MODEL.md, "Communities"). */
import { describe, expect, it } from 'vitest';
import { parseCurationFile, serialiseCurationFile } from './curation-file.js';

const file = (communities: unknown) => JSON.stringify({ communities });

describe('curation file', () => {
  it('round trips byte for byte, communities and seeds in a stable order', () => {
    const text = file([
      { short: 'rat', name: 'Rationalists', color: '#AABBCC', seeds: ['zed', '123', 'amy'] },
      { short: 'Core', name: 'Core', description: 'd', seeds: [] },
    ]);
    const once = serialiseCurationFile(parseCurationFile(text, 'c.json'));
    expect(once.endsWith('}\n')).toBe(true);
    expect(once).toContain('\n  "communities": [\n');
    const parsed = parseCurationFile(once, 'c.json');
    expect(parsed.communities.map((c) => c.short)).toEqual(['Core', 'rat']);
    expect(parsed.communities[1]).toEqual({
      short: 'rat',
      name: 'Rationalists',
      color: '#aabbcc',
      description: '',
      seeds: ['123', 'amy', 'zed'],
    });
    expect(serialiseCurationFile(parsed)).toBe(once);
  });

  it('names the file and the field of every mistake', () => {
    const bad = (communities: unknown) => () => parseCurationFile(file(communities), 'c.json');
    const ok = { short: 'a', name: 'A', seeds: [] };
    expect(() => parseCurationFile('{', 'c.json')).toThrow(/^c\.json is not valid JSON/);
    expect(() => parseCurationFile('{"communities":[],"x":1}', 'c.json')).toThrow('c.json: x: unknown field');
    expect(bad([ok, ok, { ...ok, short: 'c', name: 'C', colour: '#000000' }])).toThrow(
      'c.json: communities[2].colour: unknown field',
    );
    expect(bad([{ ...ok, short: '9' }])).toThrow(/c\.json: communities\[0\]\.short: must be a letter/);
    expect(bad([{ ...ok, color: 'red' }])).toThrow('c.json: communities[0].color: must be #rrggbb');
    expect(bad([{ ...ok, seeds: ['a', 5] }])).toThrow(/c\.json: communities\[0\]\.seeds\[1\]/);
    expect(bad([{ short: 'a', seeds: [] }])).toThrow(/c\.json: communities\[0\]\.name/);
    expect(bad([ok, { ...ok, name: 'B', short: 'A' }])).toThrow(
      'c.json: communities[1].short: "A" is also the short name of communities[0]',
    );
    expect(bad([ok, { ...ok, short: 'b', name: 'a' }])).toThrow(
      'c.json: communities[1].name: "a" is also the name of communities[0]',
    );
  });
});
