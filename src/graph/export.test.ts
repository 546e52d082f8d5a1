/** Exports parse back with their metrics: well-formed GEXF 1.3 and GraphML, a safe CSV. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { baseMetrics, seedMetrics } from './analysis.js';
import type { BuiltGraph, NodeInfo } from './build.js';
import { csvField, writeExport, xmlText, type ExportInput } from './export.js';
import { graphFromEdges } from './graph.js';
import { layerFromPairs } from './interactions.js';

const TRICKY = 'Ann <b>&"co"\u0001 🏳️‍🌈 =SUM(A1)';

function node(
  accountId: string,
  username: string | null,
  displayName: string | null,
  provenance: NodeInfo['provenance'] = 'archive',
): NodeInfo {
  return {
    accountId,
    username,
    displayName,
    numFollowers: 10,
    numFollowing: null,
    numTweets: 3,
    numLikes: 4,
    provenance,
  };
}

describe('graph exports', () => {
  let dir: ReturnType<typeof tempDir>;
  let input: ExportInput;
  /** What the parser below makes of the two XML formats: attributes unprefixed, repeated elements as arrays. */
  interface ParsedGexf {
    gexf: {
      version: string;
      xmlns: string;
      graph: {
        attributes: { class: string; attribute: { id: string; title: string }[] }[];
        nodes: { node: { id: string; label: string; attvalues: { attvalue: { for: string; value: string }[] } }[] };
        edges: {
          edge: {
            source: string;
            target: string;
            type?: string;
            weight: string;
            attvalues: { attvalue: { for: string; value: string }[] };
          }[];
        };
      };
    };
  }
  interface ParsedGraphml {
    graphml: {
      key: { 'attr.name': string; 'attr.type': string }[];
      graph: { node: unknown[]; edge: { directed?: string; data: { key: string; '#text': string | number }[] }[] };
    };
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['node', 'edge', 'attributes', 'attribute', 'attvalue', 'key', 'data'].includes(name),
  });

  beforeAll(() => {
    dir = tempDir();
    const nodes = [
      node('1700000000000000001', 'ann', TRICKY),
      node('1700000000000000002', 'bob', null),
      node('1700000000000000003', 'cy', 'Cy, "the" one\nsecond line'),
      node('shadow:dee', 'dee', '@dee', 'shadow'),
    ];
    const graph = graphFromEdges(
      nodes.map((n) => n.accountId),
      [0, 1, 2, 2, 3],
      [1, 0, 0, 1, 0],
    );
    const built: BuiltGraph = {
      graph,
      nodes,
      edgeShadow: new Uint8Array(graph.edgeCount),
      options: { includeShadow: true, mutualOnly: false, includeInteractions: true, minFollowers: 0 },
      // ann and cy mention and reply to each other (bits 0 and 1); bob likes dee.
      interactions: layerFromPairs(4, [0, 1], [2, 3], [1.25, 0.5], [0b11, 0b10000]),
      dropped: { selfLoops: 0, interactionsOutside: 0 },
    };
    const base = baseMetrics(built);
    input = { built, base, seeded: seedMetrics(built, base, { seeds: ['ann'] }) };
  });
  afterAll(() => dir.remove());

  it('writes GEXF 1.3 that parses, with every metric and the community as node attributes', () => {
    const path = join(dir.path, 'graph.gexf');
    writeExport('gexf', input, path);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    const text = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const { gexf } = parser.parse(text) as ParsedGexf;
    expect([gexf.version, gexf.xmlns]).toEqual(['1.3', 'http://gexf.net/1.3']);
    const nodeAttributes = gexf.graph.attributes.find((a) => a.class === 'node')!;
    const attributes = nodeAttributes.attribute.map((a) => a.title);
    expect(attributes).toEqual([
      'username',
      'display_name',
      'provenance',
      'shadow',
      'num_followers',
      'num_following',
      'pagerank',
      'betweenness',
      'engagement',
      'composite',
      'community',
    ]);
    const nodes = gexf.graph.nodes.node;
    expect(nodes.map((n) => n.id)).toEqual(input.built.graph.ids);
    const ann = nodes[0]!;
    const value = (title: string) =>
      ann.attvalues.attvalue.find((v) => v.for === String(attributes.indexOf(title)))?.value;
    expect(ann.label).toBe('@ann');
    // Markup and quotes round-trip through the escaping; the control character (not allowed in XML) is gone.
    expect(value('display_name')).toBe(TRICKY.replace('\u0001', ''));
    expect(Number(value('pagerank'))).toBeCloseTo(input.seeded.pagerank[0]!, 12);
    expect(Number(value('community'))).toBe(input.base.communities.membership[0]);
    expect(value('num_following')).toBeUndefined(); // unknown values are left out, not written as "null"
    const edges = gexf.graph.edges.edge;
    // The follows, directed, then one undirected edge per interacting pair with its kinds and weight.
    expect(edges).toHaveLength(input.built.graph.edgeCount + 2);
    expect(edges.every((e) => input.built.graph.index.has(e.source) && input.built.graph.index.has(e.target))).toBe(
      true,
    );
    const kindId = gexf.graph.attributes.find((a) => a.class === 'edge')!.attribute.find((a) => a.title === 'kind')!.id;
    const kind = (e: (typeof edges)[number]) => e.attvalues.attvalue.find((v) => v.for === kindId)?.value;
    expect(edges.slice(0, -2).every((e) => kind(e) === 'follow' && e.type === undefined && e.weight === '1')).toBe(
      true,
    );
    expect(edges.slice(-2).map((e) => [e.source, e.target, e.type, kind(e), Number(e.weight)])).toEqual([
      ['1700000000000000001', '1700000000000000003', 'undirected', 'mention+reply', 1.25],
      ['1700000000000000002', 'shadow:dee', 'undirected', 'like', 0.5],
    ]);
  });

  it('writes GraphML that parses, with typed keys', () => {
    const path = join(dir.path, 'graph.graphml');
    writeExport('graphml', input, path);
    const text = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const { graphml } = parser.parse(text) as ParsedGraphml;
    expect(graphml.key.map((k) => `${k['attr.name']}:${k['attr.type']}`)).toContain('community:long');
    expect(graphml.graph.node).toHaveLength(4);
    expect(graphml.graph.edge).toHaveLength(5 + 2);
    const last = graphml.graph.edge.at(-1)!;
    expect(last.directed).toBe('false');
    expect(last.data.map((d) => [String(d.key), String(d['#text'])])).toEqual([
      ['kind', 'like'],
      ['weight', '0.5'],
    ]);
  });

  it('writes a CSV with one row per account, quoting what needs it and defusing formulas', () => {
    const path = join(dir.path, 'metrics.csv');
    writeExport('csv', input, path);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'account_id,username,display_name,provenance,shadow,num_followers,num_following,pagerank,betweenness,' +
        'engagement,composite,community',
    );
    expect(text).toContain(`1700000000000000003,cy,"Cy, ""the"" one\nsecond line",archive,false,10,,`);
    expect(text).toContain("shadow:dee,dee,'@dee,shadow,true");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(xmlText('a\uD800b')).toBe('ab');
  });
});
