import { currentLanguage, intlLocale } from '../../i18n';

/** `72` → "72" (vi, en) or "۷۲" (fa): the digits the dates beside it use. */
export function formatCount(value: number): string {
  return new Intl.NumberFormat(intlLocale()).format(value);
}

/** A time of day as a clock shows it, in no time zone of the browser's: `3` → "03:00" (vi),
 * "3:00 AM" (en, as the console's dates) or "۰۳:۰۰" (fa). */
export function formatClock(hour: number, minute = 0): string {
  const english = currentLanguage() === 'en';
  return new Intl.DateTimeFormat(english ? 'en-US' : intlLocale(), {
    hour: english ? 'numeric' : '2-digit',
    minute: '2-digit',
    hour12: english,
    timeZone: 'UTC',
  }).format(Date.UTC(2000, 0, 1, hour, minute));
}
