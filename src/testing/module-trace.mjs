// `node --import ./module-trace.mjs …`: prints `LOAD <url>` on stderr for every module the program
// resolves, so a test can see which packages a command loads (the CLI's start-up budget).
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write(`LOAD ${result.url}\n`);
  return result;
}
