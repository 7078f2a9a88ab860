/**
 * @file The app's UI languages: message catalogues (`messages/<code>.json`, ICU MessageFormat,
 * formatted by intl-messageformat), the language chosen (kept in this browser), and the text
 * direction that goes with it. English is built in and the fallback for any missing message;
 * other catalogues load on demand.
 *
 * In components: `{t('tasks.heading')}`, `{t('eval.progress', { done, total })}`. `t` reads the
 * current language reactively, so a language change re-renders every message.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { directionOf } from '../domain/languages';
import en from './messages/en.json';

export type MessageKey = keyof typeof en;
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

const STORAGE_KEY = 'polyclass-ui-language';
class I18n {
  language = $state<UiLanguage>('en');
  #catalogues: Partial<Record<UiLanguage, Catalogue>> = { en };
  #formats = new Map<string, IntlMessageFormat>();

  /** Applies the language chosen earlier in this browser (English when none). */
  async restore(): Promise<void> {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && saved !== 'en' && UI_LANGUAGES.some((l) => l.code === saved)) await this.set(saved as UiLanguage);
    else this.#applyToDocument();
  }

  /** Switches the UI language (loading its catalogue) and remembers the choice. */
  async set(language: UiLanguage): Promise<void> {
    if (!this.#catalogues[language] && language !== 'en')
      this.#catalogues[language] = (await LOADERS[language]()).default;
    this.language = language;
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
    this.#applyToDocument();
  }

  get direction(): 'ltr' | 'rtl' {
    return directionOf(this.language);
  }

  #applyToDocument(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = this.language;
    document.documentElement.dir = this.direction;
  }

  format(key: MessageKey, values?: Record<string, string | number>): string {
    const language = this.language;
    const own = this.#catalogues[language]?.[key];
    const source = own ?? en[key] ?? key;
    const used = own === undefined ? 'en' : language;
    if (!values && !source.includes('{')) return source;
    const id = `${used}\u0000${key}`;
    let f = this.#formats.get(id);
    if (!f) {
      f = new IntlMessageFormat(source, used);
      this.#formats.set(id, f);
    }
    return String(f.format(values));
  }
}

export const i18n = new I18n();

/** The message `key` in the current UI language, with `values` filled in. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return i18n.format(key, values);
}
