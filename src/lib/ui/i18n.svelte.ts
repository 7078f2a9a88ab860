/**
 * @file The page's UI language: the language chosen (kept in this browser), applied to the
 * message catalogues (messages.ts) and to the document's `lang` and `dir`.
 *
 * In components: `{t('tasks.heading')}`, `{t('eval.progress', { done, total })}`. `t` reads the
 * current language reactively, so a language change re-renders every message.
 */
import { directionOf } from '../domain/languages';
import {
  isUiLanguage,
  message,
  useLanguage,
  type MessageKey,
  type MessageValues,
  type UiLanguage,
} from '../i18n/messages';

export { UI_LANGUAGES, type MessageKey, type UiLanguage } from '../i18n/messages';

const STORAGE_KEY = 'polyclass-ui-language';

class I18n {
  language = $state<UiLanguage>('en');

  /** Applies the language chosen earlier in this browser (English when none). */
  async restore(): Promise<void> {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && saved !== 'en' && isUiLanguage(saved)) await this.set(saved);
    else this.#applyToDocument();
  }

  /** Switches the UI language (loading its catalogue) and remembers the choice. */
  async set(language: UiLanguage): Promise<void> {
    await useLanguage(language);
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
}

export const i18n = new I18n();

/** The message `key` in the current UI language, with `values` filled in (reactive in components). */
export function t(key: MessageKey, values?: MessageValues): string {
  void i18n.language; // a dependency, so templates re-render on a language change
  return message(key, values);
}

/** A date and time in the UI language's way ("30 Nov 2026, 09:12", « 30 nov. 2026, 09:12 »), reactive. */
export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** A number with a fixed count of decimals in the UI language's way ("0.4", « 0,4 »), reactive. */
export function formatNumber(x: number, decimals: number): string {
  return new Intl.NumberFormat(i18n.language, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(x);
}
