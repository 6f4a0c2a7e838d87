// The console's texts: flat JSON catalogues in the portal's format (`{name}` placeholders), one
// per language, each its own chunk: a page loads only the language it speaks (another one comes
// when the user switches). The choice is kept on this device under the portal's key. Persian
// (`fa`) is written right to left: the page's `dir` follows the language.
import 'dayjs/locale/vi';
import 'dayjs/locale/en';
import 'dayjs/locale/fa';
import dayjs from 'dayjs';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['vi', 'en', 'fa'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANG_KEY = 'garanti.lang';
/** Each language's name in itself: what the language menu shows. */
export const LANGUAGE_NAMES: Record<Language, string> = { vi: 'Tiếng Việt', en: 'English', fa: 'فارسی' };

function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(LANG_KEY);
    return isLanguage(stored) ? stored : 'vi';
  } catch {
    return 'vi';
  }
}

/** The writing direction of `language`. */
export function directionOf(language: Language): 'rtl' | 'ltr' {
  return language === 'fa' ? 'rtl' : 'ltr';
}

function apply(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
  dayjs.locale(language);
}

type Catalogue = Record<string, string>;
const CATALOGUES: Record<Language, () => Promise<{ default: Catalogue }>> = {
  vi: () => import('./vi.json'),
  en: () => import('./en.json'),
  fa: () => import('./fa.json'),
};

/** The language's catalogue, fetched once. */
async function load(language: Language): Promise<void> {
  if (i18n.hasResourceBundle(language, 'translation')) return;
  const { default: texts } = await CATALOGUES[language]();
  i18n.addResourceBundle(language, 'translation', texts);
}

const initial = storedLanguage();
apply(initial);
/** In Persian each interpolated value is isolated (U+2068 … U+2069): a Latin name, a serial or a
 * phone keeps its own order inside the right-to-left sentence. */
const isolating = {
  type: 'formatter' as const,
  init: () => undefined,
  add: () => undefined,
  addCached: () => undefined,
  format: (value: unknown, _format: string | undefined, lng: string | undefined) =>
    lng === 'fa' && (typeof value === 'string' || typeof value === 'number') ? `\u2068${String(value)}\u2069` : value,
};

void i18n.use(initReactI18next).use(isolating).init({
  resources: {},
  lng: initial,
  fallbackLng: 'vi',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false, prefix: '{', suffix: '}', alwaysFormat: true },
  initAsync: false,
});

/** Resolves when the first language's texts are in: the app renders after it. */
export const ready: Promise<void> = load(initial);

/** The language now spoken: `vi`, `en` or `fa`. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'vi';
}

/** The locale `Intl` formats numbers and dates in: Persian with its digits and the Solar Hijri
 * calendar. */
export function intlLocale(language: Language = currentLanguage()): string {
  return { vi: 'vi-VN', en: 'en-GB', fa: 'fa-IR-u-ca-persian' }[language];
}

/** A calendar month of the data (`2026-11`: the API counts Gregorian months) in Persian: its
 * name and year in Persian digits ("نوامبر ۲۰۲۶"). */
export function gregorianMonth(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat('fa-IR-u-ca-gregory', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year ?? 2000, (number ?? 1) - 1, 1)),
  );
}

/** Which of the data's two languages to show (product data exists in Vietnamese and English; a
 * Persian reader gets the English). */
export function dataLanguage(language: Language = currentLanguage()): 'vi' | 'en' {
  return language === 'vi' ? 'vi' : 'en';
}

/** Speak `language` from now on, and next time on this device (its texts fetched first, so
 * the page never shows a key). */
export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(LANG_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await load(language);
  apply(language);
  await i18n.changeLanguage(language);
}

export default i18n;
