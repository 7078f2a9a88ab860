/**
 * @file `npm run fixtures`: writes the tiny test models to tests/fixtures/.models.
 * The test runs build them too; run this to serve them in `npm run dev` (see README).
 */
import { buildFixtures, FIXTURE_MODELS_DIR } from '../tests/fixtures/build';

const written = await buildFixtures();
console.log(`Fixture models in ${FIXTURE_MODELS_DIR} (${written.length} files updated).`);
