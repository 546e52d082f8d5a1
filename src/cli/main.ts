#!/usr/bin/env node
/**
 * Entry point of the `tpot` binary: runs the program and turns what it throws into an exit status.
 * Each command loads its own modules when it runs, so this file and the program stay small.
 */
import type { Command } from 'commander';
import { reportFailure } from './report-failure.js';

// `tpot … | head` closes the pipe early: that is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

let program: Command | null = null;
try {
  const { buildProgram } = await import('./program.js');
  program = await buildProgram();
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error, program);
}
