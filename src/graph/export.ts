/**
 * Exports of the analysed graph: GEXF 1.3 for Gephi (metrics and community as node
 * attributes, https://gexf.net/schema.html), GraphML, and a CSV of the metrics. Written in 1 MB
 * pieces to a temporary file that is renamed at the end, so a crash never leaves half an export.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { BaseMetrics, SeedMetrics } from './analysis.js';
import type { BuiltGraph, NodeInfo } from './build.js';
import { forEachPair, kindNames } from './interactions.js';

export type ExportFormat = 'gexf' | 'graphml' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['gexf', 'graphml', 'csv'];

export interface ExportInput {
  built: BuiltGraph;
  base: BaseMetrics;
  seeded: SeedMetrics;
}

/** One exported column per node: its name, its type in GEXF/GraphML terms, and its value. */
interface Column {
  name: string;
  type: 'string' | 'integer' | 'double' | 'boolean';
  value(node: NodeInfo, i: number): string | number | boolean | null;
}

function columns({ base, seeded }: ExportInput): Column[] {
  return [
    { name: 'username', type: 'string', value: (n) => n.username },
    { name: 'display_name', type: 'string', value: (n) => n.displayName },
    { name: 'provenance', type: 'string', value: (n) => n.provenance },
    { name: 'shadow', type: 'boolean', value: (n) => n.provenance === 'shadow' },
    { name: 'num_followers', type: 'integer', value: (n) => n.numFollowers },
    { name: 'num_following', type: 'integer', value: (n) => n.numFollowing },
    { name: 'pagerank', type: 'double', value: (_, i) => seeded.pagerank[i]! },
    { name: 'betweenness', type: 'double', value: (_, i) => base.betweenness.scores[i]! },
    { name: 'engagement', type: 'double', value: (_, i) => base.engagement[i]! },
    { name: 'composite', type: 'double', value: (_, i) => seeded.composite[i]! },
    { name: 'community', type: 'integer', value: (_, i) => base.communities.membership[i]! },
  ];
}

/** Where an export's text goes: a file (`writeExport`) or memory (`exportText`, for the API's downloads). */
interface TextOut {
  write(text: string): void;
}

/** Buffered writes to a temporary file, renamed into place by `commit`. */
class ExportFile implements TextOut {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(`${path}.tmp`, 'w');
  }

  write(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(`${this.path}.tmp`, this.path);
  }

  abandon(): void {
    closeSync(this.fd);
    rmSync(`${this.path}.tmp`, { force: true });
  }
}

function writeFormat(format: ExportFormat, input: ExportInput, out: TextOut): void {
  if (format === 'gexf') writeGexf(input, out);
  else if (format === 'graphml') writeGraphml(input, out);
  else writeCsv(input, out);
}

export function writeExport(format: ExportFormat, input: ExportInput, path: string): void {
  const file = new ExportFile(path);
  try {
    writeFormat(format, input, file);
    file.commit();
  } catch (error) {
    file.abandon();
    throw error;
  }
}

/** The same export as one string. */
export function exportText(format: ExportFormat, input: ExportInput): string {
  const parts: string[] = [];
  writeFormat(format, input, { write: (text) => parts.push(text) });
  return parts.join('');
}

// XML 1.0 allows neither most control characters nor unpaired surrogates, even escaped.
const XML_INVALID = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]', // control characters and non-characters
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])', // a high surrogate without its low half
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]', // a low surrogate without its high half
  ].join('|'),
  'g',
);
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(value: unknown): string {
  return String(value)
    .replace(XML_INVALID, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

function edgesOf(graph: BuiltGraph['graph'], visit: (source: number, target: number, k: number) => void): void {
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let k = graph.outOffsets[u]!; k < graph.outOffsets[u + 1]!; k++) visit(u, graph.outTargets[k]!, k);
  }
}

/**
 * The interaction layer's pairs, when the graph has one, as undirected edges after the follows: the
 * kinds seen between the pair ("mention+reply") and the pair's weight.
 */
function interactionEdgesOf(
  built: BuiltGraph,
  visit: (source: number, target: number, kinds: string, weight: number, k: number) => void,
): void {
  if (!built.interactions) return;
  let k = 0;
  forEachPair(built.interactions, (u, v, weight, bits) => visit(u, v, kindNames(bits).join('+'), weight, k++));
}

function writeGexf(input: ExportInput, out: TextOut): void {
  const { graph, nodes } = input.built;
  const cols = columns(input);
  out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.write(
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n',
  );
  out.write(
    `  <meta lastmodifieddate="${new Date().toISOString().slice(0, 10)}"><creator>tpot-analyzer</creator>` +
      '<description>TPOT follow graph: a directed edge means source follows target; ' +
      'an undirected one, that they interact</description></meta>\n',
  );
  out.write('  <graph defaultedgetype="directed" mode="static">\n    <attributes class="node" mode="static">\n');
  cols.forEach((c, i) => out.write(`      <attribute id="${i}" title="${c.name}" type="${c.type}"/>\n`));
  out.write('    </attributes>\n    <attributes class="edge" mode="static">\n');
  out.write('      <attribute id="kind" title="kind" type="string"/>\n    </attributes>\n    <nodes>\n');
  nodes.forEach((node, i) => {
    const label = node.username ? `@${node.username}` : node.accountId;
    out.write(`      <node id="${xmlText(node.accountId)}" label="${xmlText(label)}"><attvalues>`);
    cols.forEach((c, a) => {
      const value = c.value(node, i);
      if (value !== null) out.write(`<attvalue for="${a}" value="${xmlText(value)}"/>`);
    });
    out.write('</attvalues></node>\n');
  });
  out.write('    </nodes>\n    <edges>\n');
  edgesOf(graph, (u, v, k) =>
    out.write(
      `      <edge id="${k}" source="${xmlText(graph.ids[u])}" target="${xmlText(graph.ids[v])}" weight="1">` +
        '<attvalues><attvalue for="kind" value="follow"/></attvalues></edge>\n',
    ),
  );
  interactionEdgesOf(input.built, (u, v, kinds, weight, k) =>
    out.write(
      `      <edge id="i${k}" source="${xmlText(graph.ids[u])}" target="${xmlText(graph.ids[v])}" ` +
        `type="undirected" weight="${weight}"><attvalues><attvalue for="kind" value="${kinds}"/></attvalues></edge>\n`,
    ),
  );
  out.write('    </edges>\n  </graph>\n</gexf>\n');
}

function writeGraphml(input: ExportInput, out: TextOut): void {
  const { graph, nodes } = input.built;
  const cols = columns(input);
  out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.write(
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns ' +
      'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
  );
  cols.forEach((c, i) =>
    out.write(
      `  <key id="d${i}" for="node" attr.name="${c.name}" attr.type="${c.type === 'integer' ? 'long' : c.type}"/>\n`,
    ),
  );
  out.write('  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>\n');
  out.write('  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>\n');
  out.write('  <graph id="tpot" edgedefault="directed">\n');
  nodes.forEach((node, i) => {
    out.write(`    <node id="${xmlText(node.accountId)}">`);
    cols.forEach((c, a) => {
      const value = c.value(node, i);
      if (value !== null) out.write(`<data key="d${a}">${xmlText(value)}</data>`);
    });
    out.write('</node>\n');
  });
  edgesOf(graph, (u, v) =>
    out.write(
      `    <edge source="${xmlText(graph.ids[u])}" target="${xmlText(graph.ids[v])}">` +
        '<data key="kind">follow</data><data key="weight">1</data></edge>\n',
    ),
  );
  interactionEdgesOf(input.built, (u, v, kinds, weight) =>
    out.write(
      `    <edge source="${xmlText(graph.ids[u])}" target="${xmlText(graph.ids[v])}" directed="false">` +
        `<data key="kind">${kinds}</data><data key="weight">${weight}</data></edge>\n`,
    ),
  );
  out.write('  </graph>\n</graphml>\n');
}

/**
 * A CSV field (RFC 4180). Text a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: display names come from strangers.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function writeCsv(input: ExportInput, out: TextOut): void {
  const cols = columns(input);
  out.write(`account_id,${cols.map((c) => c.name).join(',')}\n`);
  input.built.nodes.forEach((node, i) => {
    out.write(`${node.accountId},${cols.map((c) => csvField(c.value(node, i))).join(',')}\n`);
  });
}
