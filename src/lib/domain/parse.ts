/**
 * @file Reads the texts out of what an LLM answered, tolerantly: fenced code blocks, text
 * around the JSON, trailing commas, smart quotes, answers cut off mid-array, or no JSON at all
 * (one text per line). Reports in words what it could not use.
 */

/** What was repaired or left out of an answer, with what a sentence about it needs. */
export type ParseProblem =
  | { code: 'no-text' | 'not-text'; n: number }
  | { code: 'cut-off' | 'no-json' | 'empty-dropped'; count: number }
  | { code: 'no-list' | 'text-after' | 'empty' | 'no-texts' };

export interface ParseReport {
  texts: string[];
  /** What was repaired or left out ("the answer was cut off; 3 complete texts kept"). */
  problems: ParseProblem[];
}

/** Keys under which models put their list of texts. */
const LIST_KEYS = ['texts', 'samples', 'examples', 'sentences', 'data', 'items', 'results', 'outputs'];
/** Keys under which models put one text in an object. */
const TEXT_KEYS = ['text', 'sample', 'example', 'sentence', 'content', 'output'];

/** Removes list numbering, bullets and wrapping quotes a model puts around one text. */
export function cleanText(raw: string): string {
  let t = raw.trim();
  t = t.replace(/^(?:\d{1,3}[.):]|[-*•‣–]|\(\d{1,3}\))\s+/u, '');
  t = t.replace(/^(?:text|sample|example)\s*\d*\s*:\s*/iu, '');
  for (const [open, close] of [
    ['"', '"'],
    ['“', '”'],
    ['„', '“'],
    ['«', '»'],
    ["'", "'"],
    ['「', '」'],
  ] as const) {
    if (t.length > 1 && t.startsWith(open) && t.endsWith(close)) t = t.slice(open.length, -close.length).trim();
  }
  return t;
}

/** Index of the bracket closing the one at `start`, honouring strings; -1 if never closed. */
function matchingBracket(s: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Common JSON slips of small models: trailing commas, smart quotes as delimiters. */
function repair(json: string): string {
  return json.replace(/,\s*([}\]])/g, '$1').replace(/[“”]/g, '"');
}

function tryParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    try {
      return JSON.parse(repair(json));
    } catch {
      return undefined;
    }
  }
}

/** Complete string literals inside a JSON fragment that was cut off. */
function completeStrings(fragment: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"\s*([,:\]}]?)/g;
  for (let m = re.exec(fragment); m; m = re.exec(fragment)) {
    if (m[2] === ':') continue; // an object key
    if (m[2] === '' && m.index + m[0].length >= fragment.trimEnd().length) continue; // the cut-off one
    try {
      out.push(JSON.parse(`"${m[1]}"`) as string);
    } catch {
      // malformed escape: skip
    }
  }
  return out.filter((s) => !LIST_KEYS.includes(s) && !TEXT_KEYS.includes(s));
}

function textsFrom(value: unknown, problems: ParseProblem[]): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    const out: string[] = [];
    value.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else if (item && typeof item === 'object') {
        const key = TEXT_KEYS.find((k) => typeof (item as Record<string, unknown>)[k] === 'string');
        if (key) out.push((item as Record<string, string>)[key] as string);
        else problems.push({ code: 'no-text', n: i + 1 });
      } else problems.push({ code: 'not-text', n: i + 1 });
    });
    return out;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const listKey = LIST_KEYS.find((k) => Array.isArray(obj[k]));
    if (listKey) return textsFrom(obj[listKey], problems);
    const textKey = TEXT_KEYS.find((k) => typeof obj[k] === 'string');
    if (textKey) return [obj[textKey] as string];
    const arrays = Object.values(obj).filter(Array.isArray);
    if (arrays.length === 1) return textsFrom(arrays[0], problems);
  }
  return null;
}

/**
 * @param raw the model's whole answer
 */
export function parseGeneratedTexts(raw: string): ParseReport {
  const problems: ParseProblem[] = [];
  let body = raw.replace(/<think>[\s\S]*?<\/think>/g, '').trim();
  const fence = /```(?:json|JSON)?\s*([\s\S]*?)(?:```|$)/.exec(body);
  if (fence?.[1] !== undefined && fence[1].trim()) body = fence[1].trim();

  const start = body.search(/[[{]/);
  let texts: string[] | null = null;
  if (start >= 0) {
    const end = matchingBracket(body, start);
    if (end >= 0) {
      const value = tryParse(body.slice(start, end + 1));
      if (value !== undefined) {
        texts = textsFrom(value, problems);
        if (texts === null) problems.push({ code: 'no-list' });
        const after = body.slice(end + 1).trim();
        if (after) problems.push({ code: 'text-after' });
      }
    } else {
      texts = completeStrings(body.slice(start));
      problems.push({ code: 'cut-off', count: texts.length });
    }
  }
  if (texts === null || (texts.length === 0 && start < 0)) {
    const lines = body
      .split('\n')
      .map(cleanText)
      .filter((l) => l.length > 0 && !/^[[\]{}]+$/.test(l));
    if (lines.length > 0) {
      problems.push({ code: 'no-json', count: lines.length });
      texts = lines;
    } else {
      texts = [];
      if (!body) problems.push({ code: 'empty' });
    }
  }
  const cleaned = texts.map(cleanText).filter((t) => t.length > 0);
  if (cleaned.length < texts.length) problems.push({ code: 'empty-dropped', count: texts.length - cleaned.length });
  // An empty result is always explained.
  if (cleaned.length === 0 && problems.length === 0) problems.push({ code: 'no-texts' });
  return { texts: cleaned, problems };
}
