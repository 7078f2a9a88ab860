/**
 * @file Vitest global setup for browser tests: starts the real Vite dev server (the one
 * `npm run dev` starts) with the fixture models as its `/models/` folder.
 */
import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the dev server, e.g. `http://localhost:5173`. */
    baseURL: string;
  }
}

let server: ViteDevServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.POLYCLASS_MODELS_DIR = FIXTURE_MODELS_DIR;
  server = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    server: { host: 'localhost', port: 0, strictPort: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('dev server has no TCP address');
  project.provide('baseURL', `http://localhost:${address.port}`);
  return async () => {
    await server?.close();
  };
}
