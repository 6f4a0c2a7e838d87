// What my products' own sections ("your data": js/my_data.js; a unit's transfer:
// js/my_transfer.js) and the new owner's page (js/transfer.js) share: their texts and styles,
// files of their own (/i18n/my/<lang>.json, /my.css) so that the landing page, within its
// budget, does not download them; and an instant written for people.
import { h } from '/shared/js/dom.js';
import { language } from '/shared/js/i18n.js';
import { ownTexts } from './shell.js';

// linked once, by the first page that needs it (its sections wait for their texts, asked for
// at the same time)
document.head.append(h('link', { rel: 'stylesheet', href: '/my.css' }));

/** The texts of /i18n/my: null once they are there (shell.js ``ownTexts``). */
export const myTextsMissing = ownTexts('my', 'data.title');

/** An instant as people read it there, in Vietnam's time (UTC+7): "14:05 12/05/2026" (vi),
 * "12 May 2026, 14:05" (en), or its Solar Hijri day with Persian digits (fa). */
export function formatMoment(value) {
  const ms = Date.parse(value || '');
  if (Number.isNaN(ms)) return '';
  const lang = language();
  const locale = { vi: 'vi-VN', en: 'en-GB', fa: 'fa-IR-u-ca-persian' }[lang] || 'vi-VN';
  const day = lang === 'vi'
    ? { day: '2-digit', month: '2-digit', year: 'numeric' }
    : { day: 'numeric', month: lang === 'fa' ? 'long' : 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(locale, { ...day, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh' })
    .format(new Date(ms));
}
