// Language and texts for Garanti's framework-free pages: which language, the catalogue's
// texts, and values written for people in that language (dates, numbers, waits, phones, the
// API's errors).
//
// A catalogue is a flat JSON object of keys to texts with ``{name}`` placeholders
// (``"verdict.activated_on": "Kích hoạt bảo hành ngày {date}."``), one file per language.

export const LANGUAGES = ['vi', 'en', 'fa'];
/** Each language's name in itself, for the buttons that switch to it. */
export const LANGUAGE_NAMES = { vi: 'Tiếng Việt', en: 'English', fa: 'فارسی' };
/** Persian is written right to left. */
export const direction = (code = lang) => (code === 'fa' ? 'rtl' : 'ltr');
/** The locale ``Intl`` writes in: Persian with its digits and the Solar Hijri calendar. */
const intlLocale = (code) => ({ vi: 'vi-VN', en: 'en-GB', fa: 'fa-IR-u-ca-persian' })[code] || 'vi-VN';
const LANG_KEY = 'garanti.lang';

const catalogues = {};
let lang = storedLanguage() || 'vi';
let words = {};

/** The language a person chose earlier on this device, or null. */
export function storedLanguage() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return LANGUAGES.includes(saved) ? saved : null;
  } catch {
    return null;
  }
}

/** Keep a person's choice for their next visit (not in private mode: this page only). */
export function rememberLanguage(code) {
  try {
    localStorage.setItem(LANG_KEY, code);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export const language = () => lang;

/** The catalogue for ``code`` (``{base}/{code}.json``), fetched once; a failed fetch is tried
 * again on the next call. */
export function loadCatalogue(code, base = '/i18n') {
  catalogues[code] ||= fetch(`${base}/${code}.json`).then((r) => {
    if (!r.ok) throw new Error(`catalogue ${code}: ${r.status}`);
    return r.json();
  }).catch((error) => {
    delete catalogues[code];
    throw error;
  });
  return catalogues[code];
}

/** From now on, speak ``code`` with ``catalogue``'s texts. */
export function useLanguage(code, catalogue) {
  lang = code;
  words = catalogue;
}

/** Add a page's own texts (a catalogue only that page needs, so the others do not load it) to
 * the language's until the next ``useLanguage``. */
export function addWords(catalogue) {
  words = { ...words, ...catalogue };
}

/** The catalogue's text for ``key`` with ``{name}`` placeholders filled; the key if missing. */
export function t(key, params) {
  const text = words[key];
  if (typeof text !== 'string') return key;
  if (!params) return text;
  // in Persian each value is isolated (U+2068 … U+2069): a Latin name, a serial or a phone keeps
  // its own order inside the right-to-left sentence
  const isolate = lang === 'fa' ? (v) => `\u2068${v}\u2069` : (v) => v;
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined || params[name] === null ? m : isolate(params[name].toString())));
}

export const has = (key) => typeof words[key] === 'string';

// ---------------------------------------------------------------- values for people

/** "2028-11-23" → 23/11/2028 (vi), 23 Nov 2028 (en) or ۲ آذر ۱۴۰۷ (fa, the Solar Hijri
 * calendar); an instant is shown as its Vietnamese calendar day (UTC+7, no daylight saving), as
 * the API counts warranty days. */
export function formatDate(value) {
  if (!value) return '';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = day ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value) + 7 * 3600e3;
  if (Number.isNaN(ms)) return '';
  const options = lang === 'vi'
    ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
    : { day: 'numeric', month: lang === 'fa' ? 'long' : 'short', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(intlLocale(lang), options).format(new Date(ms));
}

/** 12000 → "12.000" (vi), "12,000" (en) or "۱۲٬۰۰۰" (fa). */
export const formatNumber = (n) => new Intl.NumberFormat(intlLocale(lang)).format(n);

/** A seconds count for people: "45 giây" / "2 minutes" (catalogue keys ``time.*``). */
export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 90 ? t('time.seconds', { n: formatNumber(s) }) : t('time.minutes', { n: formatNumber(Math.ceil(s / 60)) });
}

/** ``+84912345678`` → ``091* *** *78``: enough to recognise one's own number on screen. */
export function maskPhone(e164) {
  const national = String(e164 || '').replace(/^\+84/, '');
  return national.length === 9 ? `0${national.slice(0, 2)}*\u00a0***\u00a0*${national.slice(-2)}` : '';
}

/** What to tell a person about an API error: the catalogue's ``error.<code>`` when it has
 * one, else the API's own message in this language. */
export function errorText(error, params) {
  if (!error) return t('error.generic');
  const values = { ...error, ...params };
  if (error.code === 'network') return t('error.network');
  if (error.code && has(`error.${error.code}`)) return t(`error.${error.code}`, values);
  const message = error.messages?.[lang] || error.message;
  return typeof message === 'string' && message ? message : t('error.generic');
}

/** The text for a field error code (the catalogue's), or the API's message for it. */
export const fieldText = (code, apiMessage) => (has(`error.${code}`) ? t(`error.${code}`) : apiMessage || t('error.field_invalid'));
