/**
 * `tpot communities …` (docs/OPERATIONS.md, "Curating communities"): named communities, their
 * seeds, notes and tags, versions of the curation, propagation and its evaluation. Every
 * subcommand takes `--json`; every write goes through the community store, which records it in the
 * curation history.
 */
import { Command, InvalidArgumentError } from 'commander';
import { PROPAGATION_DEFAULTS } from '../../communities/defaults.js';
import type { Db } from '../../db/database.js';
import { configFrom } from '../context.js';
import { positiveInteger, wholeNumber } from '../options.js';

interface JsonFlag {
  json?: boolean;
}

/** Prints `value` as JSON with --json, else the text. */
function print(flags: JsonFlag, value: unknown, text: () => string): void {
  process.stdout.write(`${flags.json ? JSON.stringify(value, null, 2) : text()}\n`);
}

/** Runs `work` on the cache opened for writing (so an older file is migrated first), and closes it. */
async function withWritableDb<T>(command: Command, work: (db: Db) => T | Promise<T>): Promise<T> {
  const { openDatabase } = await import('../../db/database.js');
  const db = openDatabase(configFrom(command).dbPath);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

async function store(db: Db) {
  const { CommunityStore } = await import('../../db/community-store.js');
  return new CommunityStore(db, 'cli');
}

function engineOption(value: string): 'harmonic' | 'ppr-lift' {
  if (value !== 'harmonic' && value !== 'ppr-lift')
    throw new InvalidArgumentError('--engine must be harmonic or ppr-lift.');
  return value;
}

/** `--interaction-weight <w>`: how much who talks with whom counts beside a follow (0: follows only). */
function interactionWeightOption(): [string, string, (value: string) => number] {
  return [
    '--interaction-weight <w>',
    `weight of interactions (mentions, replies, quotes, retweets, likes) beside a follow's 1; 0 = follows only ` +
      `(default: ${PROPAGATION_DEFAULTS.interactionWeight})`,
    (value) => {
      const weight = Number(value);
      if (value.trim() === '' || !Number.isFinite(weight) || weight < 0 || weight > 100)
        throw new InvalidArgumentError('--interaction-weight must be a number from 0 to 100.');
      return weight;
    },
  ];
}

const EXAMPLES = `
Examples:
  $ tpot communities add core "Core TPOT" --color "#e4572e"
  $ tpot communities seed add core visakanv @selentelechia
  $ tpot communities propagate
  $ tpot communities members core --band specialist --limit 20
  $ tpot communities show @someone
  $ tpot communities evaluate --folds 5
  $ tpot communities version save before-cleanup
  $ tpot communities export communities.json`;

export function communitiesCommand(): Command {
  const communities = new Command('communities').addHelpText('after', EXAMPLES);

  communities.addCommand(
    new Command('list')
      .description('The communities, their seeds, and their members per band in the latest run.')
      .option('--json', 'as JSON')
      .action(async (flags: JsonFlag, command: Command) => {
        const { listCommunities, formatListing } = await import('../../communities/reports.js');
        const listing = await withWritableDb(command, listCommunities);
        print(flags, listing, () => formatListing(listing));
      }),
  );

  communities.addCommand(
    new Command('add')
      .description('Add a community: a short name (its handle in files and URLs) and a name.')
      .argument('<short>', 'short name: a letter, then letters, digits, - or _ (at most 32)')
      .argument('<name>', 'the name people read, e.g. "Jhana Practitioners"')
      .option('--color <hex>', 'its colour, #rrggbb (default: the next free colour of the palette)')
      .option('--description <text>', 'what the community is')
      .option('--json', 'as JSON')
      .action(
        async (
          short: string,
          name: string,
          flags: JsonFlag & { color?: string; description?: string },
          command: Command,
        ) => {
          const added = await withWritableDb(command, async (db) =>
            (await store(db)).add({ short, name, color: flags.color, description: flags.description }),
          );
          print(flags, added, () => `Added ${added.short} (${added.name}, ${added.color}).`);
        },
      ),
  );

  communities.addCommand(
    new Command('rename')
      .description('Change a community’s name or short name.')
      .argument('<community>', 'short name, name or #id')
      .option('--name <name>', 'the new name')
      .option('--short <short>', 'the new short name')
      .option('--json', 'as JSON')
      .action(async (ref: string, flags: JsonFlag & { name?: string; short?: string }, command: Command) => {
        if (flags.name === undefined && flags.short === undefined)
          throw new InvalidArgumentError('Give --name, --short or both.');
        const renamed = await withWritableDb(command, async (db) =>
          (await store(db)).rename(ref, { name: flags.name, short: flags.short }),
        );
        print(flags, renamed, () => `Renamed: ${renamed.short} is now "${renamed.name}".`);
      }),
  );

  communities.addCommand(
    new Command('recolor')
      .description('Change a community’s colour.')
      .argument('<community>', 'short name, name or #id')
      .argument('<color>', '#rrggbb')
      .option('--json', 'as JSON')
      .action(async (ref: string, color: string, flags: JsonFlag, command: Command) => {
        const changed = await withWritableDb(command, async (db) => (await store(db)).recolor(ref, color));
        print(flags, changed, () => `${changed.short} is now ${changed.color}.`);
      }),
  );

  communities.addCommand(
    new Command('describe')
      .description('Set a community’s description.')
      .argument('<community>', 'short name, name or #id')
      .argument('<text>', 'the description (at most 2,000 characters)')
      .option('--json', 'as JSON')
      .action(async (ref: string, text: string, flags: JsonFlag, command: Command) => {
        const changed = await withWritableDb(command, async (db) => (await store(db)).describe(ref, text));
        print(flags, changed, () => `Described ${changed.short}.`);
      }),
  );

  communities.addCommand(
    new Command('remove')
      .description('Remove a community and its seeds (the history keeps both; a saved version can bring them back).')
      .argument('<community>', 'short name, name or #id')
      .option('--json', 'as JSON')
      .action(async (ref: string, flags: JsonFlag, command: Command) => {
        const removed = await withWritableDb(command, async (db) => (await store(db)).remove(ref));
        print(
          flags,
          removed,
          () => `Removed ${removed.community.short} (${removed.community.name}) and its ${removed.seeds.length} seeds.`,
        );
      }),
  );

  const seed = new Command('seed').description('Add or remove seed accounts of a community.');
  seed.addCommand(
    new Command('add')
      .description('Make accounts (handles or ids) seeds of a community. All or nothing.')
      .argument('<community>', 'short name, name or #id')
      .argument('<accounts...>', 'handles (with or without @) or account ids')
      .option('--note <text>', 'why they are seeds')
      .option('--json', 'as JSON')
      .action(async (ref: string, accounts: string[], flags: JsonFlag & { note?: string }, command: Command) => {
        const { resolveSeedAccounts } = await import('../../communities/curation.js');
        const result = await withWritableDb(command, async (db) =>
          (await store(db)).addSeeds(ref, resolveSeedAccounts(db, accounts), { note: flags.note }),
        );
        print(
          flags,
          result,
          () =>
            `Added ${result.added.length} seeds to ${result.community.short}` +
            (result.skipped.length ? ` (${result.skipped.length} already were).` : '.'),
        );
      }),
  );
  seed.addCommand(
    new Command('remove')
      .description('Remove seeds from a community. All or nothing.')
      .argument('<community>', 'short name, name or #id')
      .argument('<accounts...>', 'handles or account ids')
      .option('--json', 'as JSON')
      .action(async (ref: string, accounts: string[], flags: JsonFlag, command: Command) => {
        const { resolveSeedAccounts } = await import('../../communities/curation.js');
        const result = await withWritableDb(command, async (db) =>
          (await store(db)).removeSeeds(ref, resolveSeedAccounts(db, accounts)),
        );
        print(flags, result, () => `Removed ${result.removed.length} seeds from ${result.community.short}.`);
      }),
  );
  communities.addCommand(seed);

  communities.addCommand(
    new Command('show')
      .description('Where an account is: its community, band, confidence and memberships, seed, notes, tags.')
      .argument('<account>', 'a handle or an account id')
      .option('--json', 'as JSON')
      .action(async (ref: string, flags: JsonFlag, command: Command) => {
        const { showAccount, formatAccount } = await import('../../communities/reports.js');
        const placement = await withWritableDb(command, (db) => showAccount(db, ref));
        print(flags, placement, () => formatAccount(placement));
      }),
  );

  communities.addCommand(
    new Command('members')
      .description('A community’s members in the latest run, by weight.')
      .argument('<community>', 'short name, name or #id')
      .option('--band <band>', 'only this band: exemplar, specialist, bridge, frontier')
      .option('--limit <n>', 'at most this many', positiveInteger('--limit', 1_000_000), 50)
      .option('--json', 'as JSON')
      .action(async (ref: string, flags: JsonFlag & { band?: string; limit: number }, command: Command) => {
        const { listMembers, formatMembers, parseBand } = await import('../../communities/reports.js');
        const band = flags.band === undefined ? undefined : parseBand(flags.band);
        const listing = await withWritableDb(command, (db) => listMembers(db, ref, { band, limit: flags.limit }));
        print(flags, listing, () => formatMembers(listing));
      }),
  );

  communities.addCommand(
    new Command('note')
      .description('Read, set or clear the curator’s note on an account.')
      .argument('<account>', 'a handle or an account id')
      .argument('[text]', 'the note; leave out to read it')
      .option('--clear', 'remove the note')
      .option('--json', 'as JSON')
      .action(
        async (ref: string, text: string | undefined, flags: JsonFlag & { clear?: boolean }, command: Command) => {
          const { resolveSeedAccounts } = await import('../../communities/curation.js');
          const note = await withWritableDb(command, async (db) => {
            const [id] = resolveSeedAccounts(db, [ref]);
            const curation = await store(db);
            if (flags.clear) return curation.setNote(id!, null);
            return text === undefined ? curation.note(id!) : curation.setNote(id!, text);
          });
          print(flags, note, () => note?.note ?? '(no note)');
        },
      ),
  );

  const tag = new Command('tag').description('Tags on accounts.');
  for (const [verb, description] of [
    ['add', 'Tag an account.'],
    ['remove', 'Remove tags from an account.'],
  ] as const)
    tag.addCommand(
      new Command(verb)
        .description(description)
        .argument('<account>', 'a handle or an account id')
        .argument('<tags...>', 'tags: lower-case letters, digits, - and _')
        .option('--json', 'as JSON')
        .action(async (ref: string, tags: string[], flags: JsonFlag, command: Command) => {
          const { resolveSeedAccounts } = await import('../../communities/curation.js');
          const result = await withWritableDb(command, async (db) => {
            const [id] = resolveSeedAccounts(db, [ref]);
            const curation = await store(db);
            if (verb === 'add') curation.addTags(id!, tags);
            else curation.removeTags(id!, tags);
            return { accountId: id!, tags: curation.tags(id!) };
          });
          print(flags, result, () => `Tags of ${ref}: ${result.tags.join(', ') || '(none)'}`);
        }),
    );
  communities.addCommand(tag);

  communities.addCommand(
    new Command('history')
      .description('The curation history: every change, newest first.')
      .option('--limit <n>', 'at most this many', positiveInteger('--limit', 100_000), 30)
      .option('--json', 'as JSON')
      .action(async (flags: JsonFlag & { limit: number }, command: Command) => {
        const history = await withWritableDb(command, async (db) => (await store(db)).history({ limit: flags.limit }));
        print(flags, history, () =>
          history
            .map((h) => `  ${h.at}  ${h.actor.padEnd(6)} ${h.action.padEnd(18)} ${JSON.stringify(h.detail)}`)
            .join('\n'),
        );
      }),
  );

  communities.addCommand(
    new Command('import')
      .description(
        'Import communities and their seeds from a JSON file ({"communities":[{name, short, color, description, ' +
          'seeds}]}). The current state is saved as a version first.',
      )
      .argument('<file>', 'the curation file')
      .option('--json', 'as JSON')
      .action(async (file: string, flags: JsonFlag, command: Command) => {
        const { importCurationFile } = await import('../../communities/curation.js');
        const report = await withWritableDb(command, (db) => importCurationFile(db, file));
        print(flags, report, () =>
          [
            `Imported ${file}: ${report.created} communities created, ${report.updated} updated, ` +
              `${report.seedsAdded} seeds added, ${report.seedsRemoved} removed. ` +
              `The state before is version ${report.savedAs}.`,
            ...report.unknown.map((u) => `  not imported: ${u.ref} (seed of ${u.community}) is not in the graph`),
          ].join('\n'),
        );
      }),
  );

  communities.addCommand(
    new Command('export')
      .description('Write the communities and seeds to a JSON file that `import` reads back.')
      .argument('<file>', 'where to write')
      .option('--json', 'as JSON')
      .action(async (file: string, flags: JsonFlag, command: Command) => {
        const { exportCurationFile } = await import('../../communities/curation.js');
        const counts = await withWritableDb(command, (db) => exportCurationFile(db, file));
        print(
          flags,
          { file, ...counts },
          () => `Wrote ${counts.communities} communities, ${counts.seeds} seeds to ${file}.`,
        );
      }),
  );

  communities.addCommand(versionCommand());

  communities.addCommand(
    new Command('propagate')
      .description(
        'Propagate the seeds over the follow graph: every account gets memberships, a confidence and a band. ' +
          'The run and its memberships are stored.',
      )
      .option('--engine <name>', 'harmonic or ppr-lift', engineOption)
      .option(...interactionWeightOption())
      .option(
        '--bootstrap <n>',
        'seed-resampling runs for the uncertainty (0 = none)',
        wholeNumber('--bootstrap', 1000),
        20,
      )
      .option('--output <file>', 'also write every account’s placement to this JSON file')
      .option('--json', 'as JSON')
      .action(
        async (
          flags: JsonFlag & {
            engine?: 'harmonic' | 'ppr-lift';
            interactionWeight?: number;
            bootstrap: number;
            output?: string;
          },
          command: Command,
        ) => {
          const { propagateCommand } = await import('../../communities/propagate-command.js');
          const summary = await withWritableDb(command, (db) =>
            propagateCommand(db, {
              engine: flags.engine,
              interactionWeight: flags.interactionWeight,
              bootstrap: flags.bootstrap,
              output: flags.output,
              json: flags.json,
            }),
          );
          print(flags, summary.json, () => summary.text);
        },
      ),
  );

  communities.addCommand(
    new Command('evaluate')
      .description(
        'k-fold seed hold-out: hide some seeds, propagate, and see whether they come back in their community; ' +
          'with the majority and Louvain baselines beside.',
      )
      .option('--folds <n>', 'folds', positiveInteger('--folds', 50), 5)
      .option('--engine <name>', 'harmonic or ppr-lift (default: the default engine)', engineOption)
      .option(...interactionWeightOption())
      .option('--json', 'as JSON')
      .action(
        async (
          flags: JsonFlag & { folds: number; engine?: 'harmonic' | 'ppr-lift'; interactionWeight?: number },
          command: Command,
        ) => {
          const { evaluateCommand } = await import('../../communities/propagate-command.js');
          const result = await withWritableDb(command, (db) =>
            evaluateCommand(db, {
              folds: flags.folds,
              engine: flags.engine,
              interactionWeight: flags.interactionWeight,
            }),
          );
          print(flags, result.json, () => result.text);
        },
      ),
  );

  return communities;
}

function versionCommand(): Command {
  const version = new Command('version').description('Named versions of the curation: save, list, diff, restore.');
  version.addCommand(
    new Command('save')
      .description('Save the communities, seeds, notes and tags as a named version.')
      .argument('<name>', 'letters, digits, . _ -')
      .option('--note <text>', 'what this version is')
      .option('--json', 'as JSON')
      .action(async (name: string, flags: JsonFlag & { note?: string }, command: Command) => {
        const saved = await withWritableDb(command, async (db) => (await store(db)).saveVersion(name, flags.note));
        print(
          flags,
          saved,
          () => `Saved version ${saved.name}: ${saved.communityCount} communities, ${saved.seedCount} seeds.`,
        );
      }),
  );
  version.addCommand(
    new Command('list')
      .description('The saved versions, newest first.')
      .option('--json', 'as JSON')
      .action(async (flags: JsonFlag, command: Command) => {
        const versions = await withWritableDb(command, async (db) => (await store(db)).listVersions());
        print(flags, versions, () =>
          versions.length === 0
            ? 'No versions saved yet: tpot communities version save NAME'
            : versions
                .map(
                  (v) =>
                    `  ${v.name.padEnd(36)} ${v.createdAt}  ${v.communityCount} communities, ${v.seedCount} seeds` +
                    `${v.current ? '  (= current)' : ''}${v.note ? `  ${v.note}` : ''}`,
                )
                .join('\n'),
        );
      }),
  );
  version.addCommand(
    new Command('diff')
      .description('What changed between two versions, or between a version and the current state.')
      .argument('<from>', 'a version')
      .argument('[to]', 'a version (default: the current state)')
      .option('--json', 'as JSON')
      .action(async (from: string, to: string | undefined, flags: JsonFlag, command: Command) => {
        const { formatDiff } = await import('../../communities/version-report.js');
        const diff = await withWritableDb(command, async (db) => (await store(db)).diff(from, to));
        print(flags, diff, () => formatDiff(diff));
      }),
  );
  version.addCommand(
    new Command('restore')
      .description('Bring back a version. The current state is saved as a version first, so nothing is lost.')
      .argument('<name>', 'a version')
      .option('--json', 'as JSON')
      .action(async (name: string, flags: JsonFlag, command: Command) => {
        const restored = await withWritableDb(command, async (db) => (await store(db)).restore(name));
        print(
          flags,
          restored,
          () =>
            `Restored ${restored.restored}. The state before is version ${restored.savedAs}` +
            `${restored.newlySaved ? ' (saved now)' : ' (it was already saved)'}.`,
        );
      }),
  );
  return version;
}
