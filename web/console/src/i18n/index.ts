// The console's texts: flat JSON catalogues in the portal's format (`{name}` placeholders), one
// per language, each its own chunk: a page loads only the language it speaks (the other one
// comes when the user switches). The choice is kept on this device under the portal's key.
import 'dayjs/locale/vi';
import 'dayjs/locale/en';
import dayjs from 'dayjs';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANG_KEY = 'garanti.lang';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

function apply(language: Language): void {
  document.documentElement.lang = language;
  dayjs.locale(language);
}

type Catalogue = Record<string, string>;
const CATALOGUES: Record<Language, () => Promise<{ default: Catalogue }>> = {
  vi: () => import('./vi.json'),
  en: () => import('./en.json'),
};

/** The language's catalogue, fetched once. */
async function load(language: Language): Promise<void> {
  if (i18n.hasResourceBundle(language, 'translation')) return;
  const { default: texts } = await CATALOGUES[language]();
  i18n.addResourceBundle(language, 'translation', texts);
}

const initial = storedLanguage();
apply(initial);
void i18n.use(initReactI18next).init({
  resources: {},
  lng: initial,
  fallbackLng: 'vi',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
  initAsync: false,
});

/** Resolves when the first language's texts are in: the app renders after it. */
export const ready: Promise<void> = load(initial);

/** The language now spoken: `vi` or `en`. */
export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'vi';
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
