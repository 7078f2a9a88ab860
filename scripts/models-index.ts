/**
 * @file `npm run models:index [-- DIR]`: writes `DIR/index.json` (default `models/`), the
 * listing a page reads to find its server's model folder (tools/model-index.ts). The workshop
 * server, `vite preview` and `vite dev` answer that address themselves; other static servers
 * need the file.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listModelFolder, MODEL_INDEX_FILE } from '../tools/model-index.ts';

const dir = resolve(process.argv[2] ?? 'models');
const index = listModelFolder(dir);
if (index.models.length === 0 && index.recordings.length === 0) {
  process.stderr.write(`No models or recordings found in ${dir}.\n`);
  process.exit(1);
}
writeFileSync(join(dir, MODEL_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
process.stdout.write(
  `${join(dir, MODEL_INDEX_FILE)}: ${index.models.length} model(s), ${index.recordings.length} recording(s).\n`,
);
