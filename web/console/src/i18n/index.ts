// The console's texts: flat JSON catalogues in the portal's format (`{name}` placeholders), one
// per language; the choice is kept on this device under the portal's key.
import 'dayjs/locale/vi';
import 'dayjs/locale/en';
import dayjs from 'dayjs';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import vi from './vi.json';

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

const initial = storedLanguage();
apply(initial);
void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'vi',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
  initAsync: false,
});

/** The language now spoken: `vi` or `en`. */
export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'vi';
}

/** Speak `language` from now on, and next time on this device. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(LANG_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  apply(language);
  void i18n.changeLanguage(language);
}

export default i18n;
