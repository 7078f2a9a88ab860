/**
 * @file Untrusted text inside the Markdown documents polyclass writes (model card, evaluation
 * report, dataset card). Task names, descriptions, labels, language names and model ids come
 * from users, bundles and generated text: in a document they must read as the text they are,
 * never as HTML (`<img onerror=…>`, `<script>`), a link (`[x](javascript:…)`), emphasis, a table
 * cell break or a new block (a description line `# heading`).
 */

/** Characters that start inline Markdown (emphasis, code, links, images, tables, strikethrough, escapes). */
const INLINE = /[\\`*_[\]|~!]/g;

/**
 * A text as inert inline Markdown: line breaks become spaces (so nothing starts a heading,
 * list or table row), `&`, `<`, `>` become entities (no HTML, and an entity typed by the user
 * reads as typed), and Markdown punctuation is escaped with a backslash.
 */
export function mdText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(INLINE, '\\$&');
}

/** A text as an inline code span (backticks and line breaks taken out: nothing inside a span is markup). */
export function mdCode(text: string): string {
  return `\`${text.replace(/`/g, '').replace(/\s+/g, ' ').trim()}\``;
}

/** A value in YAML front matter: plain when it is a simple code (`sw`, `zh-Hant`), else quoted (JSON strings are YAML). */
export function yamlString(text: string): string {
  return /^[A-Za-z][A-Za-z0-9-]*$/.test(text) ? text : JSON.stringify(text);
}
