/**
 * @file Prompt strategies for generating labelled texts. Combinable: zero-shot from the task
 * and label descriptions; target-language demonstrations from seed examples; diversity hints
 * varied per call; and a self-revision pass that checks and fixes or rejects each text.
 *
 * The default follows the seed paper's recipe (Pecher et al.): cast the model as a text
 * generator for one class in the target language, show about ten target-language
 * demonstrations, give the label's description, and ask for several texts at once that cannot
 * be classified as another class. Texts come back as JSON (see parse.ts).
 */
import type { Rng } from './random';
import type { Label, Task, TaskLanguage } from './task';

/** Bump when the wording changes; stored on every generated sample. */
export const PROMPT_TEMPLATE_VERSION = 1;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Strategy {
  /** Show seed examples of the same label and language. */
  demonstrations: boolean;
  /** Vary topic, register, length and persona per call. */
  diversity: boolean;
  /** Ask the model to check each text and fix or reject it. */
  revision: boolean;
}

/** Target-language demonstrations + revision was the best combination in the companion study. */
export const DEFAULT_STRATEGY: Strategy = { demonstrations: true, diversity: true, revision: false };

/** About ten demonstrations per call, as in the seed recipe. */
export const DEMONSTRATIONS_PER_CALL = 10;

/** One diversity hint: recorded on every sample it produced. */
export interface DiversityHint {
  /** Where the text's situation takes place: varies the topic without leaving the class. */
  setting: string;
  register: string;
  length: string;
  persona: string;
}

const SETTINGS = [
  'in a village',
  'in a big city',
  'at a school',
  'at a market',
  'at home',
  'at work',
  'online',
  'while travelling',
];
const REGISTERS = [
  'everyday conversation',
  'a news report',
  'a social media post',
  'a formal letter',
  'a text message',
  'a radio announcement',
];
const LENGTHS = ['one short sentence', 'one sentence of about 15 words', 'two sentences', 'one long sentence'];
const PERSONAS = [
  'a student',
  'a farmer',
  'a shopkeeper',
  'a teacher',
  'a nurse',
  'a journalist',
  'a parent',
  'a taxi driver',
  'an elder',
  'a young person',
];

const pick = <T>(items: readonly T[], rng: Rng): T => items[Math.floor(rng() * items.length)] as T;

export function pickHint(rng: Rng): DiversityHint {
  return {
    setting: pick(SETTINGS, rng),
    register: pick(REGISTERS, rng),
    length: pick(LENGTHS, rng),
    persona: pick(PERSONAS, rng),
  };
}

/** Up to `k` distinct seeds in a seeded random order. */
export function pickDemonstrations(seeds: readonly string[], k: number, rng: Rng): string[] {
  const pool = [...seeds];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool.slice(0, k);
}

/** JSON schema of the answer, for engines with constrained decoding (WebLLM). */
export const TEXTS_SCHEMA = {
  type: 'object',
  properties: { texts: { type: 'array', items: { type: 'string' } } },
  required: ['texts'],
} as const;

export const REVISION_SCHEMA = {
  type: 'object',
  properties: { verdict: { type: 'string', enum: ['keep', 'fix', 'reject'] }, text: { type: 'string' } },
  required: ['verdict'],
} as const;

export interface GenerationRequest {
  task: Pick<Task, 'name' | 'description' | 'labels'>;
  label: Label;
  language: TaskLanguage;
  count: number;
  /** Seed texts of this label and language (already picked). */
  demonstrations: string[];
  hint: DiversityHint | null;
  /**
   * Ask for hard cases: texts of the label that mention what is typical of this other label
   * (the one a student confuses it with), yet clearly belong to the label.
   */
  contrast?: Label | null;
}

/** Messages asking for `count` texts of one label in one language. */
export function buildGenerationMessages(r: GenerationRequest): ChatMessage[] {
  const others = r.task.labels.filter((l) => l.name !== r.label.name);
  const describe = (l: Label) => (l.description ? `“${l.name}” (${l.description})` : `“${l.name}”`);
  const system = [
    `You write realistic example texts in ${r.language.name} for a text classification dataset${r.task.description ? `: ${r.task.description.replace(/\.?$/, '.')}` : '.'}`,
    `Every text you write belongs to the class ${describe(r.label)}.`,
    `Write only in ${r.language.name}, as a native speaker would. Answer with JSON only.`,
  ].join(' ');
  const parts: string[] = [];
  if (r.demonstrations.length > 0)
    parts.push(
      `Examples of texts in ${r.language.name} of the class “${r.label.name}”:\n${r.demonstrations.map((d) => `- ${d}`).join('\n')}`,
    );
  parts.push(
    `Write ${r.count} new, different texts in ${r.language.name} of the class “${r.label.name}”${r.label.description ? `: ${r.label.description}` : ''}.`,
  );
  if (others.length > 0) parts.push(`None of them may fit another class: ${others.map(describe).join(', ')}.`);
  // The other label is named, never as `class “X”`: only the label asked for is written so.
  if (r.contrast)
    parts.push(
      `Make each text a hard case: it mentions people, places or words typical of ${describe(r.contrast)}, so a careless reader might take it for that topic, yet it clearly belongs to “${r.label.name}”.`,
    );
  if (r.hint)
    parts.push(
      `Write them as ${r.hint.register} by ${r.hint.persona}, about something happening ${r.hint.setting}; each text is ${r.hint.length}.`,
    );
  parts.push(
    `Do not use the word “${r.label.name}” itself. Answer with JSON only, in this form: {"texts": ["…", "…"]}`,
  );
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** Messages asking the model to check one text: class, language, fluency; keep, fix or reject. */
export function buildRevisionMessages(
  task: Pick<Task, 'labels'>,
  label: Label,
  language: TaskLanguage,
  text: string,
): ChatMessage[] {
  return [
    {
      role: 'system',
      content: `You check example texts for a ${language.name} text classification dataset. Answer with JSON only.`,
    },
    {
      role: 'user',
      content: [
        `Text: ${JSON.stringify(text)}`,
        `Intended class: “${label.name}”${label.description ? ` (${label.description})` : ''}. Other classes: ${task.labels
          .filter((l) => l.name !== label.name)
          .map((l) => `“${l.name}”`)
          .join(', ')}.`,
        `1. Does the text clearly belong to the intended class? 2. Is it written in ${language.name}? 3. Is it fluent and natural?`,
        `If all three are yes, answer {"verdict": "keep"}. If it can be corrected, answer {"verdict": "fix", "text": "<corrected text>"}. Otherwise answer {"verdict": "reject"}.`,
      ].join('\n'),
    },
  ];
}

export type RevisionVerdict =
  { verdict: 'keep' } | { verdict: 'fix'; text: string } | { verdict: 'reject' } | { verdict: 'unreadable' };

/** Reads a revision answer; anything unreadable counts as neither keep nor reject. */
export function parseRevision(raw: string): RevisionVerdict {
  const match = /\{[\s\S]*\}/.exec(raw);
  if (match) {
    try {
      const v = JSON.parse(match[0]) as { verdict?: unknown; text?: unknown };
      if (v.verdict === 'keep') return { verdict: 'keep' };
      if (v.verdict === 'reject') return { verdict: 'reject' };
      if (v.verdict === 'fix' && typeof v.text === 'string' && v.text.trim())
        return { verdict: 'fix', text: v.text.trim() };
    } catch {
      // fall through to the plain-word reading
    }
  }
  const word = raw.trim().toLocaleLowerCase();
  if (/^(yes|keep)\b/.test(word)) return { verdict: 'keep' };
  if (/^(no|reject)\b/.test(word)) return { verdict: 'reject' };
  return { verdict: 'unreadable' };
}
