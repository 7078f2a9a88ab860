/**
 * @file How `npm run cli` starts the CLI, for the tests and benchmarks that run it as a user
 * does: Node with tsx's loader on `scripts/cli.ts`. The loader in the same process, not tsx's
 * own command (a second Node process that relays signals), halves the start-up time.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The project's root folder. */
export const ROOT = resolve(import.meta.dirname, '..');

/** Arguments to Node (`process.execPath`) that start the CLI; the CLI's own arguments follow. */
export const CLI_NODE_ARGS: readonly string[] = [
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  join(ROOT, 'scripts/cli.ts'),
];
