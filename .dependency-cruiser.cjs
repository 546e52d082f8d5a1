/**
 * The architecture's rules, checked by `npm run deps` (and `.ci/run`). Each rule says which
 * paragraph of docs/ARCHITECTURE.md ("Rules the code keeps") it enforces.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a tree of layers: an import cycle means two modules are really one, or a seam is missing.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'sql-only-in-db',
      severity: 'error',
      comment:
        'Only src/db talks to SQLite: every other module calls a store. ' +
        'Tests and test doubles may set up and inspect a database directly.',
      from: { path: '^src/', pathNot: ['^src/db/', '[.]test[.]ts$', '^src/testing/', '^src/bench/'] },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'testing-only-from-tests',
      severity: 'error',
      comment: 'src/testing holds test doubles and fixtures: shipped code never depends on them.',
      from: { path: '^src/', pathNot: ['[.]test[.]ts$', '^src/testing/', '^src/bench/'] },
      to: { path: '^src/testing/' },
    },
    {
      name: 'bench-only-from-bench',
      severity: 'error',
      comment: 'src/bench is `npm run bench`: nothing else depends on it.',
      from: { path: '^src/', pathNot: ['^src/bench/'] },
      to: { path: '^src/bench/' },
    },
    {
      name: 'cli-not-into-routes',
      severity: 'error',
      comment: 'The CLI calls the library, never an HTTP route module.',
      from: { path: '^src/cli/' },
      to: { path: '^src/api/routes/' },
    },
    {
      name: 'commands-independent',
      severity: 'error',
      comment:
        'A command is a thin shell over the library; what two commands share belongs in the library or src/cli/*.ts.',
      from: { path: '^src/cli/commands/([^/]+)[.]ts$' },
      to: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/$1[.]ts$' },
    },
    {
      name: 'library-not-into-cli',
      severity: 'error',
      comment: 'The library does not know about the command line.',
      from: { path: '^src/', pathNot: ['^src/cli/', '[.]test[.]ts$', '^src/testing/', '^src/bench/'] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'web-only-pure-engine',
      severity: 'error',
      comment:
        'The explorer runs in the browser: from the server code it may import only pure modules ' +
        '(types, parameters, the composite, the curation limits).',
      from: { path: '^web/src/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/graph/params[.]ts$',
          '^src/graph/composite[.]ts$',
          '^src/api/wire[.]ts$',
          '^src/communities/curation-limits[.]ts$',
        ],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still two modules that cannot be read apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: ['^dist/', '^web/dist/'] },
  },
};
