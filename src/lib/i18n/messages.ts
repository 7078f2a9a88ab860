/**
 * @file The message catalogues and their formatting, with no UI runtime: usable by the page,
 * by workers and by domain code that writes sentences for people (errors, summaries, the
 * evaluation headline). Catalogues are `messages/<code>.json` (ICU MessageFormat, formatted by
 * intl-messageformat); English is built in and the fallback for any missing message; others
 * load on demand. Workers follow the page's language: every RPC call carries it (workers/rpc.ts).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import en from './messages/en.json';

export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, string | number>;
type Catalogue = Partial<Record<MessageKey, string>>;

/** Languages the UI speaks, in their own names. */
export const UI_LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number]['code'];

const LOADERS: Record<Exclude<UiLanguage, 'en'>, () => Promise<{ default: Catalogue }>> = {
  fr: () => import('./messages/fr.json') as Promise<{ default: Catalogue }>,
};

const catalogues: Partial<Record<UiLanguage, Catalogue>> = { en };
const formats = new Map<string, IntlMessageFormat>();
let current: UiLanguage = 'en';

export const isUiLanguage = (code: string): code is UiLanguage => UI_LANGUAGES.some((l) => l.code === code);

/** Loads a language's catalogue (once) and makes it the one messages are written in. */
export async function useLanguage(language: UiLanguage): Promise<void> {
  if (!catalogues[language] && language !== 'en') catalogues[language] = (await LOADERS[language]()).default;
  current = language;
}

/** The language messages are written in now. */
export const messageLanguage = (): UiLanguage => current;

/** The message `key` in the current language (English where it has none), values filled in. */
export function message(key: MessageKey, values?: MessageValues): string {
  const own = catalogues[current]?.[key];
  const source = own ?? en[key] ?? key;
  const used = own === undefined ? 'en' : current;
  if (!values && !source.includes('{')) return source;
  const id = `${used}\u0000${key}`;
  let f = formats.get(id);
  if (!f) {
    f = new IntlMessageFormat(source, used);
    formats.set(id, f);
  }
  return String(f.format(values));
}
