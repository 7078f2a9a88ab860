/**
 * @file Vitest global setup: builds the fixture models before any test runs.
 */
import { buildFixtures } from '../fixtures/build';

export default async function setup(): Promise<void> {
  await buildFixtures();
}
