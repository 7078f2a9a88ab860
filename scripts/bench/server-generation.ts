/**
 * @file Generation against an OpenAI-compatible server (issue 22): the CLI's engine
 * (`runParallelGeneration` with `OpenAiGenerator`, as `cli generate` runs it, less the file
 * writes) against the test server on a loopback address answering each request after 500 ms,
 * as a batching server under load would: one request at a time vs 32 in flight. Target:
 * throughput with 32 at least 20× that with 1.
 */
import OpenAI from 'openai';
import { OpenAiGenerator } from '../../src/lib/backends/openai-generator';
import { DEFAULT_GENERATION } from '../../src/lib/domain/generation';
import type { Task } from '../../src/lib/domain/task';
import { runParallelGeneration } from '../../src/lib/jobs/parallel-generation';
import { startFakeLlmServer } from '../../tests/helpers/fake-llm-server';

export const SERVER_DELAY_MS = 500;
const PER_CELL = 20;

const TASK: Task = {
  id: 'bench',
  name: 'Bench',
  description: '',
  languages: ['sw', 'ha', 'yo'].map((code) => ({ code, name: code })),
  labels: ['science', 'travel', 'politics', 'sports', 'health', 'entertainment', 'geography'].map((name) => ({
    name,
    description: '',
  })),
  createdAt: 0,
  updatedAt: 0,
};

export interface ServerGenerationRow {
  concurrency: number;
  samples: number;
  calls: number;
  seconds: number;
  samplesPerSecond: number;
  maxInFlight: number;
}

export interface ServerGenerationFigure {
  delayMs: number;
  rows: ServerGenerationRow[];
  /** Throughput with the most requests in flight over that with one. */
  speedup: number;
}

async function run(concurrency: number): Promise<ServerGenerationRow> {
  const server = await startFakeLlmServer({ delayMs: SERVER_DELAY_MS });
  try {
    const generator = new OpenAiGenerator({ endpoint: server.endpoint, model: 'fake-llm', client: OpenAI });
    const started = performance.now();
    let samples = 0;
    const result = await runParallelGeneration({
      task: TASK,
      seeds: [],
      config: {
        ...DEFAULT_GENERATION,
        perCell: PER_CELL,
        filters: { ...DEFAULT_GENERATION.filters, language: false },
        generator: { kind: 'openai', endpoint: server.endpoint, model: 'fake-llm' },
      },
      generator,
      concurrency,
      runId: 'bench',
      written: [],
      firstCall: 0,
      write: (good) => void (samples += good.length),
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      concurrency,
      samples,
      calls: result.calls,
      seconds,
      samplesPerSecond: samples / seconds,
      maxInFlight: server.stats.maxInFlight,
    };
  } finally {
    await server.close();
  }
}

export async function serverGenerationFigure(): Promise<ServerGenerationFigure> {
  const rows: ServerGenerationRow[] = [];
  for (const concurrency of [1, 8, 32]) rows.push(await run(concurrency));
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    delayMs: SERVER_DELAY_MS,
    rows,
    speedup: first && last ? last.samplesPerSecond / first.samplesPerSecond : 0,
  };
}

export function serverGenerationMarkdown(figure: ServerGenerationFigure | null): string {
  if (!figure) return '';
  return `## 15. Generation against an OpenAI-compatible server (the CLI's \`generate\`)

The CLI's engine (\`jobs/parallel-generation.ts\` with \`backends/openai-generator.ts\`, as \`npm run -s cli -- generate\` runs it, less its file writes) filling ${TASK.labels.length} labels × ${TASK.languages.length} languages × ${PER_CELL} samples against the tests' OpenAI-compatible server (\`tests/helpers/fake-llm-server.ts\`) on a loopback address, which answers every request after ${figure.delayMs} ms as a batching server under load would (\`scripts/bench/server-generation.ts\`). The same prompts, parser and quality filters as the app (language identification off: the server's texts are made up). Target (issue 22): 32 requests in flight give at least 20× the throughput of one. Measured: **${figure.speedup.toFixed(1)}×**.

| requests in flight | samples | calls | seconds | samples/s | most in flight at the server |
| ---: | ---: | ---: | ---: | ---: | ---: |
${figure.rows.map((r) => `| ${r.concurrency} | ${r.samples} | ${r.calls} | ${r.seconds.toFixed(1)} | ${r.samplesPerSecond.toFixed(1)} | ${r.maxInFlight} |`).join('\n')}
`;
}
