// The public API's client, for any of Garanti's web apps: one call shape, one result shape,
// and the API's own input rules, so a form refuses what the API would refuse.
//
// Framework-free: no DOM, no language state. The app says where the API is and which language
// to ask for (configureApi); this module never reads a global.

let base = '';
let acceptLanguage = () => 'vi';

/** Where the API lives (``https://api.example.vn``) and a function giving the language to ask
 * its messages in; call once, before the first ``api()``. */
export function configureApi({ baseUrl, language }) {
  base = String(baseUrl || '').replace(/\/+$/, '');
  if (language) acceptLanguage = language;
}

/** Call the API. Never throws: ``{ok, status, data, error, retryAfter, network}``;
 * ``error`` is the API's ``{code, messages, fields, …}`` (or ``{code: 'network'}``), and
 * ``retryAfter`` the seconds to wait (the Retry-After header, else the error's
 * ``retry_after``, else 0). ``headers``: more request headers (``Idempotency-Key``). */
export async function api(path, { method = 'GET', body, token, headers: extra, timeout = 20000 } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': acceptLanguage(), ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  try {
    const response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    const error = response.ok ? null : (data && data.error) || { code: `http_${response.status}` };
    const retryAfter = Number(response.headers.get('Retry-After')) || Number(error?.retry_after) || 0;
    return { ok: response.ok, status: response.status, data, error, retryAfter, network: false };
  } catch {
    return { ok: false, status: 0, data: null, error: { code: 'network' }, retryAfter: 0, network: true };
  } finally {
    clearTimeout(timer);
  }
}

/** Idempotency keys, one per attempt: ``keyFor(body)`` gives the same key while ``body`` is
 * the same (a "retry" after a lost answer: the server answers it with the first answer), and
 * a new one as soon as it changes. */
export function attemptKeys() {
  let current = { values: null, key: '' };
  return (body) => {
    const values = JSON.stringify(body);
    if (values !== current.values) current = { values, key: newKey() };
    return current.key;
  };
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // older browsers: 128 random bits
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------- input rules (as the API's)

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

export const cleanText = (value) => String(value).normalize('NFC').replace(/\s+/g, ' ').trim();

/** The API's text rule: NFC, no control/format characters, spaces collapsed, 1..max long;
 * the error code (``{prefix}_too_long``…) or null. */
export function checkText(value, { max, prefix, required = false }) {
  const text = String(value).normalize('NFC');
  if (FORBIDDEN.test(text.replace(/[\t\n]/g, ''))) return `${prefix}_bad_characters`;
  const clean = cleanText(text);
  if (required && !clean) return `${prefix}_required`;
  return [...clean].length > max ? `${prefix}_too_long` : null;
}

const LEGACY = { 162: '32', 163: '33', 164: '34', 165: '35', 166: '36', 167: '37', 168: '38', 169: '39', 120: '70', 121: '79', 122: '77', 126: '76', 128: '78', 123: '83', 124: '84', 125: '85', 127: '81', 129: '82', 186: '56', 188: '58', 199: '59' };
// libphonenumber's Vietnamese patterns (national number, no trunk 0): mobile, and the other
// valid types (landline, 1800/1900, 1x99 and 69x, VoIP), which the API calls "not mobile"
const VN_MOBILE = /^(?:121[0-3]\d{5}|(?:1[46]0|(?:3\d|7[06-9])\d|5(?:[1689]\d|2[238]|59)|8(?:[1-8]\d|9[6-9])|9(?:[0-8]\d|9[013-9]))\d{6})$/;
const VN_OTHER = /^(?:2(?:0[3-9]|1[0-689]|2[0-25-9]|[38][2-9]|4[2-8]|5[124-9]|6[0-39]|7[0-7]|9[0-4679])\d{7}|1[89]00\d{4,6}|12(?:0[13]|28)\d{4}|[17]99\d{4}|69\d{5,6}|672\d{6})$/;
const VN_ANY = /^(?:[12]\d{9}|[135-9]\d{8}|[16]\d{6,7}|7\d{6})$/;

/** The API's phone rule: ``{code}`` when not a Vietnamese mobile, else ``{e164}``.
 * "0912 345 678", "+84 912 345 678", "84912345678" and the pre-2018 "0166…" are accepted. */
export function checkPhone(value) {
  const raw = String(value);
  if (!raw.trim()) return { code: 'phone_required' };
  if (raw.length > 32) return { code: 'phone_invalid' };
  let text = raw.normalize('NFKC').replace(/[\s\-.()\u200b\u200c\u200d\ufeff]/g, '');
  if (/\p{Nd}/u.test(text.replace(/[0-9]/g, ''))) return { e164: null }; // other scripts' digits: the API decides
  if (!/^\+{0,2}[0-9]{8,15}$/.test(text)) return { code: 'phone_invalid' };
  text = text.replace(/^\+\+/, '+');
  const legacy = text.match(/^(?:\+?84|0084|0)?(1\d{9})$/);
  if (legacy && LEGACY[legacy[1].slice(0, 3)]) text = `+84${LEGACY[legacy[1].slice(0, 3)]}${legacy[1].slice(3)}`;
  let national; // "+84 0912…" and "840912…" are common: the trunk 0 is dropped, as the API does
  if (text.startsWith('+84')) national = text.slice(3).replace(/^0/, '');
  else if (text.startsWith('+') || (text.startsWith('00') && !text.startsWith('0084'))) return { code: 'phone_not_vietnamese' };
  else if (text.startsWith('0084')) national = text.slice(4).replace(/^0/, '');
  else if (text.startsWith('0')) national = text.slice(1);
  else if (text.startsWith('84') && VN_ANY.test(text.slice(2).replace(/^0/, ''))) national = text.slice(2).replace(/^0/, '');
  else national = text;
  if (VN_MOBILE.test(national)) return { e164: `+84${national}` };
  return { code: VN_OTHER.test(national) ? 'phone_not_mobile' : 'phone_invalid' };
}
