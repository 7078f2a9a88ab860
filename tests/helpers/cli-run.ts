/**
 * @file Runs the CLI as a user runs it (`npm run -s cli -- …`): a Node process on
 * `scripts/cli.ts` with tsx's loader, its status and output collected; for the CLI contract tests.
 */
import { spawnSync } from 'node:child_process';
import { CLI_NODE_ARGS, ROOT } from '../../scripts/cli-command';

export { CLI_NODE_ARGS, ROOT };

/** Runs the CLI with these arguments and extra environment variables. */
export function cliWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [...CLI_NODE_ARGS, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

/** Runs the CLI with these arguments. */
export function cli(...args: string[]) {
  return cliWith({}, ...args);
}
