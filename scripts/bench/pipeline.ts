/**
 * @file Section 7's steady-state figures: the generation pipeline in headless Chromium
 * (`page-pipeline.ts`) at two job sizes, three runs each; one more sample's cost is the slope
 * between them, the start-up what is left of the small job.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { IMPORT_IN_PAGE, spread, withDevPage, type Spread } from './harness';
import type { PipelineRun } from './page-pipeline';

const DATA = join(import.meta.dirname, '../../../shared/data');
/** Samples per label × language of the two jobs (3 labels × 2 languages each). */
export const PIPELINE_SIZES = [20, 100] as const;
const REPS = 3;

export interface PipelineFigure {
  small: number;
  large: number;
  /** ms of one more sample: (large job − small job) / (large − small samples), per run. */
  marginalMs: Spread;
  /** ms of the small job beyond its samples' marginal cost: worker-side start, language ID loading. */
  startMs: Spread;
  allDone: boolean;
}

const sentences = (lang: string) =>
  ['train', 'dev', 'test'].flatMap((split) =>
    Papa.parse<{ text: string }>(readFileSync(join(DATA, 'sib200', lang, `${split}.tsv`), 'utf8'), {
      header: true,
      delimiter: '\t',
      quoteChar: '\u0000',
      skipEmptyLines: true,
    }).data.map((r) => r.text),
  );

export async function pipelineFigure(): Promise<PipelineFigure> {
  const texts = { sw: sentences('swh_Latn'), ha: sentences('hau_Latn') };
  const runs = await withDevPage(async (page) => {
    const out: [PipelineRun, PipelineRun][] = [];
    const one = (perCell: number) =>
      page.evaluate(
        async ({ code, perCell, texts }) => {
          const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-pipeline')>;
          return (await load('/scripts/bench/page-pipeline.ts')).pipelineRun(perCell, texts);
        },
        { code: IMPORT_IN_PAGE, perCell, texts },
      );
    // One warm-up pair (module loading, compilation), then the timed pairs.
    await one(PIPELINE_SIZES[0]);
    for (let r = 0; r < REPS; r++) out.push([await one(PIPELINE_SIZES[0]), await one(PIPELINE_SIZES[1])]);
    return out;
  });
  const marginal = runs.map(([s, l]) => (l.ms - s.ms) / (l.samples - s.samples));
  return {
    small: runs[0]?.[0].samples ?? 0,
    large: runs[0]?.[1].samples ?? 0,
    marginalMs: spread(marginal),
    startMs: spread(runs.map(([s], i) => s.ms - s.samples * (marginal[i] as number))),
    allDone: runs.every(([s, l]) => s.done && l.done),
  };
}
