// The portal's core: configuration, language, API calls, DOM helpers, brand theming, the
// shared pieces of the pages and the router. Pages live in their own modules, loaded on use.
//
// Untrusted text (API answers, product texts, customer names) only ever reaches the page
// through textContent / createTextNode: h() never parses HTML.

const CONFIG = window.GARANTI_CONFIG || {};
const API_BASE = String(CONFIG.apiBase || '').replace(/\/+$/, '');
const LANGUAGES = ['vi', 'en'];
const LANG_KEY = 'garanti.lang';
const SECTIONS = ['activate', 'lookup', 'my_products', 'contact'];
const COLOUR = /^#[0-9a-f]{6}$/i;
const DEFAULT_COLOURS = { primary: '#0b57d0', on_primary: '#ffffff', accent: '#b3261e' };

let lang = storedLanguage() || 'vi';
let words = {};
const catalogues = {};
export let settings = {
  brand: { name: '', logo_url: '', colors: DEFAULT_COLOURS, hotline: '', email: '', website: '' },
  sections: SECTIONS,
  languages: LANGUAGES,
};

// ---------------------------------------------------------------- language and formats

function storedLanguage() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return LANGUAGES.includes(saved) ? saved : null;
  } catch {
    return null;
  }
}

export const language = () => lang;

function loadCatalogue(code) {
  catalogues[code] ||= fetch(`/i18n/${code}.json`).then((r) => {
    if (!r.ok) throw new Error(`catalogue ${code}: ${r.status}`);
    return r.json();
  }).catch((error) => {
    delete catalogues[code];
    throw error;
  });
  return catalogues[code];
}

/** The catalogue's text for ``key`` with ``{name}`` placeholders filled; the key if missing. */
export function t(key, params) {
  const text = words[key];
  if (typeof text !== 'string') return key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m).toString());
}

const has = (key) => typeof words[key] === 'string';

/** "2028-11-23" → 23/11/2028 (vi) or 23 Nov 2028 (en); an instant is shown as its Vietnamese
 * calendar day (UTC+7, no daylight saving), as the API counts warranty days. */
export function formatDate(value) {
  if (!value) return '';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = day ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value) + 7 * 3600e3;
  if (Number.isNaN(ms)) return '';
  const options = lang === 'vi'
    ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', options).format(new Date(ms));
}

const formatNumber = (n) => new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(n);

// ---------------------------------------------------------------- DOM

/** An element: ``h('p', {class: 'hint'}, 'text', child)``. Strings become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) el.append(child);
  }
  return el;
}

const ICONS = {
  ok: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1.2 14.2-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4z',
  warn: 'M12 2 1 21h22L12 2zm1 15h-2v-2h2v2zm0-4h-2V9h2v4z',
  bad: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm4.3 12.9-1.4 1.4L12 13.4l-2.9 2.9-1.4-1.4 2.9-2.9-2.9-2.9 1.4-1.4 2.9 2.9 2.9-2.9 1.4 1.4-2.9 2.9z',
};

export function icon(name, size = 28) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

/** Say ``text`` to screen readers (the page's polite live region). */
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}

/** A link target from data: same-site paths and https only (never javascript: and co). */
export function safeUrl(value) {
  if (typeof value !== 'string') return null;
  if (/^\/(?!\/)[^\s]*$/.test(value)) return value;
  return /^https:\/\/[^\s]+$/i.test(value) ? value : null;
}

export function telHref(number) {
  const digits = String(number || '').replace(/[^\d+]/g, '');
  return digits ? `tel:${digits}` : null;
}

// ---------------------------------------------------------------- API

/** Call the public API. Never throws: ``{ok, status, data, error, retryAfter, network}``;
 * ``error`` is the API's ``{code, messages, fields, …}`` (or ``{code: 'network'}``). */
export async function api(path, { method = 'GET', body, token, timeout = 20000 } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  try {
    const response = await fetch(API_BASE + path, {
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

/** What to tell a person about an API error: our catalogue's text for its code when we have
 * one, else the API's own message in this language. */
export function errorText(error, params) {
  if (!error) return t('error.generic');
  const values = { ...error, ...params };
  if (error.code === 'network') return t('error.network');
  if (error.code && has(`error.${error.code}`)) return t(`error.${error.code}`, values);
  const message = error.messages?.[lang] || error.message;
  return typeof message === 'string' && message ? message : t('error.generic');
}

/** A seconds count for people: "45 giây" / "2 minutes". */
export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 90 ? t('time.seconds', { n: formatNumber(s) }) : t('time.minutes', { n: formatNumber(Math.ceil(s / 60)) });
}

// ---------------------------------------------------------------- input rules (as the API's)

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

/** The API's text rule: NFC, no control/format characters, spaces collapsed, 1..max long. */
export function checkText(value, { max, prefix, required = false }) {
  const text = String(value).normalize('NFC');
  if (FORBIDDEN.test(text.replace(/[\t\n]/g, ''))) return `${prefix}_bad_characters`;
  const clean = cleanText(text);
  if (required && !clean) return `${prefix}_required`;
  return [...clean].length > max ? `${prefix}_too_long` : null;
}

export const cleanText = (value) => String(value).normalize('NFC').replace(/\s+/g, ' ').trim();

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

/** ``+84912345678`` → ``091* *** *78``: enough to recognise one's own number on screen. */
export function maskPhone(e164) {
  const national = String(e164 || '').replace(/^\+84/, '');
  return national.length === 9 ? `0${national.slice(0, 2)}*\u00a0***\u00a0*${national.slice(-2)}` : '';
}

// ---------------------------------------------------------------- forms

/** A labelled field: label, optional hint, the control, an error line (``{id}-err``). */
export function field({ id, label, hint, optional, control }) {
  control.id = id;
  control.name ||= id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'opt' }, ` (${t('form.optional')})`) : null),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    control,
    h('p', { class: 'err', id: `${id}-err`, hidden: true }));
}

/** Show (or clear, with no message) a field's error: aria-invalid + aria-describedby. */
export function showFieldError(control, message) {
  const line = document.getElementById(`${control.id}-err`);
  const hint = document.getElementById(`${control.id}-hint`);
  const described = hint ? [hint.id] : [];
  if (message) {
    line.textContent = message;
    line.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    described.push(line.id);
  } else {
    line.textContent = '';
    line.hidden = true;
    control.removeAttribute('aria-invalid');
  }
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  else control.removeAttribute('aria-describedby');
}

/** The text for a field error code (ours), or the API's message for it. */
export const fieldText = (code, apiMessage) => (has(`error.${code}`) ? t(`error.${code}`) : apiMessage || t('error.field_invalid'));

/** Busy state of a submit button: disabled, "sending…" label, aria-busy on its form. */
export function setBusy(button, busy, label) {
  button.disabled = busy;
  button.textContent = busy ? t('form.sending') : label;
  button.form?.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** An alert box: role=alert so it is announced when it appears. */
export function alertBox(kind, ...children) {
  return h('div', { class: `alert ${kind || ''}`, role: kind === 'info' || kind === 'ok' ? 'status' : 'alert' }, children);
}

/** The page for a failed load: the reason, and a button that tries again. */
export function loadFailed(result, retry) {
  return [
    h('h1', { tabindex: '-1' }, t(result.network ? 'error.network_title' : 'error.title')),
    alertBox('', h('p', null, errorText(result.error)),
      h('button', { type: 'button', class: 'btn', onclick: retry }, t('action.retry'))),
  ];
}

export const loading = () => h('div', { class: 'loading', role: 'progressbar', 'aria-label': t('state.loading') });

// ---------------------------------------------------------------- shared views

export const sectionOn = (name) => settings.sections.includes(name);

const STATUS_KIND = { not_activated: 'ok', activated: 'ok', expired: 'warn' };

export function statusBadge(status) {
  return h('span', { class: `badge ${STATUS_KIND[status] || 'bad'}` }, t(`status.${status}`));
}

/** The genuineness verdict of a unit view (``/public/units``, ``/serials``, certificates). */
export function verdict(unit, { headingLevel = 'h1', next = null } = {}) {
  const kind = unit.status === 'expired' ? 'warn' : 'ok';
  const lines = [];
  if (unit.status === 'not_activated' && next) lines.push(next); // what to do about it
  if (unit.status === 'activated') {
    lines.push(t('verdict.activated_on', { date: formatDate(unit.activated_on) }));
    lines.push(t('verdict.warranty_until', { date: formatDate(unit.warranty_end) }));
  }
  if (unit.status === 'expired') {
    if (unit.activated_on) lines.push(t('verdict.activated_on', { date: formatDate(unit.activated_on) }));
    lines.push(t('verdict.expired_on', { date: formatDate(unit.warranty_end) }));
  }
  if (unit.customer_name) lines.push(t('verdict.owner', { name: unit.customer_name }));
  return h('section', { class: `verdict ${kind}`, 'aria-labelledby': 'verdict-title' },
    icon(kind),
    h('div', null,
      h(headingLevel, { id: 'verdict-title', tabindex: '-1' }, t('verdict.genuine')),
      h('p', { class: 'status' }, h('strong', null, t(`status.${unit.status}`))),
      lines.map((line) => h('p', { class: 'detail' }, line))));
}

/** The product: picture, name, codes, description, key specs, warranty period, brand. */
export function productCard(unit) {
  const model = unit.model || {};
  const picture = safeUrl(model.image_url);
  const specs = Object.entries(model.specs || {}).slice(0, 8);
  return h('section', { class: 'card product', 'aria-labelledby': 'model-name' },
    picture ? h('img', { class: 'pic', src: picture, alt: model.name || '', width: 480, height: 320, decoding: 'async' }) : null,
    h('div', null,
      h('h2', { class: 'model', id: 'model-name' }, model.name || model.code || ''),
      h('p', { class: 'code' }, t('product.codes', { model: model.code || '', serial: unit.serial || '' })),
      model.description ? h('p', null, model.description) : null,
      h('dl', { class: 'specs' },
        specs.map(([key, value]) => [h('dt', null, key), h('dd', null, String(value))]),
        model.warranty_months ? [h('dt', null, t('product.warranty')), h('dd', null, t('product.months', { n: formatNumber(model.warranty_months) }))] : null,
        settings.brand.name ? [h('dt', null, t('product.brand')), h('dd', null, settings.brand.name)] : null)));
}

// ---------------------------------------------------------------- settings and theme

function luminance(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 255, n & 255]
    .map((c) => c / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function adopt(data) {
  const brand = data && typeof data.brand === 'object' && data.brand ? data.brand : {};
  const colours = { ...DEFAULT_COLOURS };
  for (const key of Object.keys(colours)) {
    if (COLOUR.test(brand.colors?.[key] || '')) colours[key] = brand.colors[key];
  }
  const text = (v) => (typeof v === 'string' ? v : '');
  const sections = Array.isArray(data?.sections) ? data.sections.filter((s) => SECTIONS.includes(s)) : SECTIONS;
  settings = {
    brand: {
      name: text(brand.name), logo_url: text(brand.logo_url), colors: colours,
      hotline: text(brand.hotline), email: text(brand.email), website: text(brand.website),
    },
    sections,
    languages: LANGUAGES,
    default_language: LANGUAGES.includes(data?.default_language) ? data.default_language : 'vi',
  };
}

function applyTheme() {
  const { primary, on_primary: onPrimary, accent } = settings.brand.colors;
  const root = document.documentElement.style;
  // AA: the brand's pair when it reads well, else white or black on the primary colour
  const readable = contrast(primary, onPrimary) >= 4.5 ? onPrimary
    : contrast(primary, '#ffffff') >= contrast(primary, '#000000') ? '#ffffff' : '#000000';
  root.setProperty('--primary', primary);
  root.setProperty('--on-primary', readable);
  root.setProperty('--accent', accent);
  root.setProperty('--link', contrast(primary, '#ffffff') >= 4.5 ? primary : DEFAULT_COLOURS.primary);
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', primary);
}

export const brandName = () => settings.brand.name || t('app.name');

function renderShell() {
  document.documentElement.lang = lang;
  const skip = document.getElementById('skip');
  skip.textContent = t('app.skip');
  const brandLink = document.getElementById('brand');
  const logo = safeUrl(settings.brand.logo_url);
  brandLink.querySelector('img')?.remove();
  brandLink.querySelector('.mark').toggleAttribute('hidden', Boolean(logo));
  if (logo) brandLink.prepend(h('img', { src: logo, alt: '', width: 96, height: 32 }));
  document.getElementById('brand-name').textContent = brandName();
  brandLink.setAttribute('aria-label', t('app.home_of', { brand: brandName() }));

  const switcher = document.getElementById('lang');
  const other = lang === 'vi' ? 'en' : 'vi';
  switcher.textContent = t('lang.other');
  switcher.setAttribute('lang', other);
  switcher.hidden = false;

  const links = [['/', 'nav.home']];
  if (sectionOn('lookup')) links.push(['/lookup', 'nav.lookup']);
  if (sectionOn('my_products')) links.push(['/my', 'nav.my']);
  links.push(['/verify', 'nav.verify']);
  if (sectionOn('contact')) links.push(['/contact', 'nav.contact']);
  const hotline = settings.brand.hotline;
  document.getElementById('foot').replaceChildren(
    h('nav', { 'aria-label': t('nav.label') },
      h('ul', null, links.map(([href, key]) => h('li', null, h('a', { href }, t(key)))))),
    hotline ? h('p', null, t('contact.hotline_line'), ' ', h('a', { href: telHref(hotline) }, hotline)) : null,
    h('p', null, t('app.footer', { brand: brandName() })));
}

let titleKey = null;

/** The document title: "<page> · <brand>". */
export function setTitle(text) {
  titleKey = text;
  document.title = text ? `${text} · ${brandName()}` : brandName();
}

// ---------------------------------------------------------------- router

const ROUTES = [
  [/^\/q\/([A-Za-z0-9_-]{1,200})\/?$/, 'landing', () => import('./landing.js')],
  [/^\/c\/([A-Za-z0-9_-]{1,200})\/?$/, 'certificate', () => import('./certificate.js')],
  [/^\/verify\/?$/, 'verify', () => import('./certificate.js')],
  [/^\/lookup\/?$/, 'lookup', () => import('./lookup.js')],
  [/^\/my\/?$/, 'my', () => import('./lookup.js')],
  [/^\/contact\/?$/, 'contact', () => import('./home.js')],
  [/^\/$/, 'home', () => import('./home.js')],
];
const NOT_FOUND = ['notfound', () => import('./home.js')];

let current = null;
let navigations = 0;
let routedTo = '';
let early = null; // the first page's main API call, started before its module arrives

function match(pathname) {
  for (const [pattern, name, load] of ROUTES) {
    const found = pathname.match(pattern);
    if (found) return { name, load, params: found.slice(1) };
  }
  return { name: NOT_FOUND[0], load: NOT_FOUND[1], params: [] };
}

function snapshot(root) {
  const values = {};
  for (const el of root.querySelectorAll('input[name], select[name], textarea[name]')) {
    values[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  const active = root.contains(document.activeElement) ? document.activeElement.id : '';
  return { values, active };
}

function restore(root, saved) {
  for (const el of root.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (!(el.name in saved.values)) continue;
    if (el.type === 'checkbox') el.checked = saved.values[el.name];
    else el.value = saved.values[el.name];
  }
  if (saved.active) document.getElementById(saved.active)?.focus();
}

/** Draw the page again from its state, keeping what the person typed and where focus was. */
function redraw(ctx, { keep = true, focus = null } = {}) {
  if (current !== ctx) return;
  const main = document.getElementById('main');
  const saved = keep ? snapshot(main) : null;
  main.replaceChildren(...[ctx.draw()].flat(Infinity).filter(Boolean));
  if (saved) restore(main, saved);
  if (focus) (main.querySelector(focus) || main).focus();
}

async function route() {
  const navigation = ++navigations;
  const url = new URL(location.href);
  routedTo = url.pathname + url.search;
  const { name, load, params } = match(url.pathname);
  const firstPage = current === null;
  current?.leave.forEach((fn) => fn());
  current = null;
  let module;
  try {
    [module] = await Promise.all([load(), ready]);
  } catch {
    if (navigation === navigations) moduleFailed();
    return;
  }
  if (navigation !== navigations) return;
  const ctx = {
    name,
    params,
    query: url.searchParams,
    early: firstPage ? early : null,
    leave: [],
    onLeave(fn) { this.leave.push(fn); },
    alive() { return current === ctx; },
    redraw(options) { redraw(ctx, options); },
    draw: () => [],
  };
  current = ctx;
  ctx.draw = module[name](ctx);
  redraw(ctx, { keep: false, focus: firstPage ? null : 'h1' });
}

/** A page's module did not load: offline, or a new release replaced the files. Reload once
 * (per tab and hour), else say so with a button; never a reload loop. */
function moduleFailed() {
  let last = 0;
  try {
    last = Number(sessionStorage.getItem('garanti.reloaded')) || 0;
    if (Date.now() - last > 3600e3) {
      sessionStorage.setItem('garanti.reloaded', String(Date.now()));
      location.reload();
      return;
    }
  } catch {
    // no storage: fall through to the button
  }
  document.getElementById('main').replaceChildren(
    h('h1', { tabindex: '-1' }, t('error.network_title')),
    alertBox('', h('p', null, t('error.network')),
      h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, t('action.retry'))));
}

/** Change the address without a new page (a look-up's result, for instance). */
export function replaceUrl(path) {
  history.replaceState(null, '', path);
  routedTo = path;
}

function navigate(path, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  window.scrollTo(0, 0);
  route();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.hash || match(url.pathname).name === 'notfound') return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
// Back/forward between pages; a jump to #main (the skip link) is not a new page.
window.addEventListener('popstate', () => {
  if (location.pathname + location.search !== routedTo) route();
});

async function switchLanguage() {
  const next = lang === 'vi' ? 'en' : 'vi';
  try {
    words = await loadCatalogue(next);
  } catch {
    announce(t('error.network'));
    return;
  }
  lang = next;
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  renderShell();
  if (current) redraw(current);
  announce(t('lang.changed'));
}

// ---------------------------------------------------------------- boot

function startEarly() {
  const { name, params } = match(location.pathname);
  if (name === 'landing') early = api(`/public/units/${encodeURIComponent(params[0])}`);
  if (name === 'certificate') early = api(`/public/certificates/${encodeURIComponent(params[0])}`);
}

async function boot() {
  startEarly();
  const settled = api('/public/settings', { timeout: 8000 }).then((r) => {
    if (r.ok) adopt(r.data);
    return r.ok;
  });
  const first = storedLanguage();
  let loaded;
  try {
    loaded = await loadCatalogue(lang);
  } catch {
    loaded = await loadCatalogue(lang).catch(() => ({}));
  }
  words = loaded;
  // Settings answer in one round trip; a slow or absent API must not hold the page.
  const onTime = await Promise.race([
    settled.then(() => true),
    new Promise((resolve) => { setTimeout(resolve, 3000, false); }),
  ]);
  if (!first && settings.default_language && settings.default_language !== lang) {
    try {
      words = await loadCatalogue(settings.default_language);
      lang = settings.default_language;
    } catch {
      // keep Vietnamese
    }
  }
  applyTheme();
  renderShell();
  if (!onTime) {
    settled.then((ok) => {
      if (!ok) return;
      applyTheme();
      renderShell();
      if (titleKey !== null) setTitle(titleKey);
      if (current) redraw(current);
    });
  }
  document.getElementById('lang').addEventListener('click', switchLanguage);
}

const ready = boot();
route();

/** The portal path of a certificate link from the API: only `/c/<token>` on this site. */
export function certificatePath(url) {
  try {
    const path = new URL(url, location.origin).pathname;
    return /^\/c\/[A-Za-z0-9_-]+$/.test(path) ? path : null;
  } catch {
    return null;
  }
}
