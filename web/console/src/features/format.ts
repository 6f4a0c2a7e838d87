import dayjs from 'dayjs';
import i18n, { currentLanguage, intlLocale } from '../i18n';

/** `2026-12-02T03:04:05Z` → `02/12/2026 10:04` (vi, the browser's zone) or `12/02/2026 10:04 AM`. */
export function formatDateTime(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '—';
  if (currentLanguage() === 'fa') {
    return new Intl.DateTimeFormat(intlLocale(), {
      dateStyle: 'short',
      timeStyle: seconds ? 'medium' : 'short',
    }).format(new Date(iso));
  }
  const time = currentLanguage() === 'vi' ? 'HH:mm' : 'h:mm';
  const format = `${currentLanguage() === 'vi' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} ${time}${seconds ? ':ss' : ''}`;
  return dayjs(iso).format(currentLanguage() === 'vi' ? format : `${format} A`);
}

/** `2026-12-02` → `02/12/2026` (vi) or `12/02/2026` (en): a day, no time zone involved. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  if (currentLanguage() === 'fa') {
    return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  }
  return dayjs(day).format(currentLanguage() === 'vi' ? 'DD/MM/YYYY' : 'MM/DD/YYYY');
}

/** `"2000000"` → `2.000.000 ₫` (vi) or `₫2,000,000` (en): money is whole VND, sent as text. */
export function formatVnd(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return new Intl.NumberFormat(currentLanguage() === 'en' ? 'en-US' : intlLocale(), {
    style: 'currency',
    currency: 'VND',
    maximumFractionDigits: 0,
  }).format(Number(amount));
}

/** Who did it: a person's username as it is, the system's own actors in words (`customer` →
 * "Khách hàng", `demo` → "Dữ liệu mẫu"). */
export function actorName(by: string | null | undefined): string {
  if (!by) return '';
  return i18n.t(`audit.actor.${by}`, { defaultValue: by });
}
