// What the portal's pages share: the brand's settings and theme, the header and footer, the
// document title, and the pieces several pages draw (a unit's verdict and product card, form
// fields, alerts). The router and the pages import it; it imports neither.

import { checkText } from '/shared/js/api.js';
import { announce, h, icon, safeUrl, telHref } from '/shared/js/dom.js';
import { addWords, direction, errorText, formatDate, formatNumber, has, language, LANGUAGE_NAMES, LANGUAGES, t, waitText } from '/shared/js/i18n.js';

const SECTIONS = ['activate', 'lookup', 'my_products', 'contact'];
const COLOUR = /^#[0-9a-f]{6}$/i;
const DEFAULT_COLOURS = { primary: '#0b57d0', on_primary: '#ffffff', accent: '#b3261e' };

export let settings = {
  brand: { name: '', logo_url: '', colors: DEFAULT_COLOURS, hotline: '', email: '', website: '' },
  sections: SECTIONS,
  activation: { confirm_phone: false },
  languages: LANGUAGES,
};

// ---------------------------------------------------------------- settings and theme

/** Take the brand's ``GET /public/settings`` answer, keeping only what is well formed. */
export function adoptSettings(data) {
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
    activation: { confirm_phone: data?.activation?.confirm_phone === true }, // a code to the phone
    languages: LANGUAGES,
    default_language: LANGUAGES.includes(data?.default_language) ? data.default_language : 'vi',
  };
}

export const sectionOn = (name) => settings.sections.includes(name);

export const brandName = () => settings.brand.name || t('app.name');

/** A text that names the brand: ``key`` with ``{brand}`` when the brand's name is known, else
 * the catalogue's ``<key>_unbranded`` (never "Bảo hành điện tử của Bảo hành điện tử."). */
export function brandText(key, params) {
  const name = settings.brand.name;
  if (name) return t(key, { ...params, brand: name });
  return has(`${key}_unbranded`) ? t(`${key}_unbranded`, params) : t(key, { ...params, brand: t('app.name') });
}

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

/** The brand's colours over the design tokens' defaults (/shared/tokens.css). */
export function applyTheme() {
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

/** The header (brand, language switch) and the footer (menu, hotline) in this language. */
export function renderShell() {
  const lang = language();
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  const skip = document.getElementById('skip');
  skip.textContent = t('app.skip');
  const brandLink = document.getElementById('brand');
  const logo = safeUrl(settings.brand.logo_url);
  brandLink.querySelector('img')?.remove();
  brandLink.querySelector('.mark').toggleAttribute('hidden', Boolean(logo));
  if (logo) brandLink.prepend(h('img', { src: logo, alt: '', width: 96, height: 32 }));
  document.getElementById('brand-name').textContent = brandName();
  brandLink.setAttribute('aria-label', brandText('app.home_of'));

  // one button per language not spoken: #lang between Vietnamese and English (from Persian, to
  // Vietnamese), #lang-alt to the third
  const others = { vi: ['en', 'fa'], en: ['vi', 'fa'], fa: ['vi', 'en'] }[lang] || ['en', 'fa'];
  for (const [id, code] of [['lang', others[0]], ['lang-alt', others[1]]]) {
    const button = document.getElementById(id);
    button.textContent = LANGUAGE_NAMES[code];
    button.setAttribute('lang', code);
    button.setAttribute('dir', direction(code));
    button.dataset.to = code;
    button.hidden = false;
  }

  const links = [['/', 'nav.home']];
  if (sectionOn('lookup')) links.push(['/lookup', 'nav.lookup']);
  if (sectionOn('my_products')) links.push(['/my', 'nav.my']);
  links.push(['/verify', 'nav.verify']);
  if (sectionOn('contact')) links.push(['/contact', 'nav.contact']);
  links.push(['/partner', 'nav.partner']);
  const hotline = settings.brand.hotline;
  const parts = [
    h('nav', { 'aria-label': t('nav.label') },
      h('ul', null, links.map(([href, key]) => h('li', null, h('a', { href }, t(key)))))),
    hotline ? h('p', null, t('contact.hotline_line'), ' ', h('a', { href: telHref(hotline) }, hotline)) : null,
    h('p', null, brandText('app.footer')),
  ];
  // replaceChildren() would write a null as the text "null"
  document.getElementById('foot').replaceChildren(...parts.filter(Boolean));
}

let titleText = null;

/** The document title: "<page> · <brand>". */
export function setTitle(text) {
  titleText = text;
  document.title = text ? `${text} · ${brandName()}` : brandName();
}

/** The title again, once the brand's name is known. */
export function refreshTitle() {
  if (titleText !== null) setTitle(titleText);
}

/** Where "my products" keeps this tab's look-up token (sessionStorage: gone with the tab). */
export const LOOKUP_SESSION = 'garanti.lookup';

/** The look-up token of this tab's "my products" session, while it lasts: the certificate
 * page shows the owner's full name to it. */
export function lookupToken() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(LOOKUP_SESSION) || 'null');
    return saved && typeof saved.token === 'string' && saved.expires > Date.now() ? saved.token : null;
  } catch {
    return null; // storage disabled or unreadable: no session
  }
}

/** The portal path of a certificate link from the API: only `/c/<token>` on this site. */
export function certificatePath(url) {
  try {
    const path = new URL(url, location.origin).pathname;
    return /^\/c\/[A-Za-z0-9_-]+$/.test(path) ? path : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- a section's own texts

/** A catalogue of a section's own (``/i18n/<name>/<lang>.json``), so the landing page does not
 * download it; added to the language's texts after each language switch (which replaces
 * them). Returns ``missing(ctx, onFailed)``: ``null`` once the texts are there (``probe`` is
 * one of their keys), else what to show meanwhile (they are asked for and the page drawn again
 * when they come): a progress bar, or after a failure ``onFailed(retry)``'s answer. */
export function ownTexts(name, probe) {
  const texts = {};
  let failed = false;
  const fetched = (code) => {
    texts[code] ||= fetch(`/i18n/${name}/${code}.json`).then((r) => {
      if (!r.ok) throw new Error(`${name} catalogue ${code}: ${r.status}`);
      return r.json();
    }).catch((error) => {
      delete texts[code];
      throw error;
    });
    return texts[code];
  };
  const load = (ctx) => {
    const code = language();
    failed = false;
    fetched(code).then((catalogue) => {
      if (language() === code) addWords(catalogue);
    }, () => { failed = true; }).finally(() => ctx.redraw());
  };
  return function missing(ctx, onFailed) {
    if (has(probe)) return null;
    if (failed) return onFailed(() => { failed = false; load(ctx); ctx.redraw(); });
    queueMicrotask(() => load(ctx));
    return loading();
  };
}

// ---------------------------------------------------------------- forms

// Vietnam's 34 provincial-level units since 1 July 2025 (Resolution 202/2025/QH15): the six
// centrally-run cities, then the 28 provinces. Names are data, sent as they are written.
const CITIES = ['Hà Nội', 'Thành phố Hồ Chí Minh', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế'];
const PROVINCES = [
  'An Giang', 'Bắc Ninh', 'Cà Mau', 'Cao Bằng', 'Đắk Lắk', 'Điện Biên', 'Đồng Nai', 'Đồng Tháp',
  'Gia Lai', 'Hà Tĩnh', 'Hưng Yên', 'Khánh Hòa', 'Lai Châu', 'Lâm Đồng', 'Lạng Sơn', 'Lào Cai',
  'Nghệ An', 'Ninh Bình', 'Phú Thọ', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sơn La',
  'Tây Ninh', 'Thái Nguyên', 'Thanh Hóa', 'Tuyên Quang', 'Vĩnh Long',
];

/** The 34 as a select (``''``: ``noneLabel``), the cities first. */
export function provinceSelect(noneLabel, value = '') {
  const option = (p) => h('option', { value: p, selected: p === value }, p);
  return h('select', { autocomplete: 'address-level1' },
    h('option', { value: '' }, noneLabel),
    h('optgroup', { label: t('activate.cities') }, CITIES.map(option)),
    h('optgroup', { label: t('activate.provinces') }, PROVINCES.map(option)));
}

/** A labelled field: label, optional hint, the control, an error line (``{id}-err``);
 * ``error``: the line's message when the field is drawn (a page drawn from its state). */
export function field({ id, label, hint, optional, control, error = null }) {
  control.id = id;
  control.name ||= id;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-err` : null].filter(Boolean);
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  if (error) control.setAttribute('aria-invalid', 'true');
  return h('div', { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'opt' }, ` (${t('form.optional')})`) : null),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    control,
    h('p', { class: 'err', id: `${id}-err`, hidden: !error }, error || null));
}

// ---------------------------------------------------------------- a customer's details

// The activation form's (landing.js) and a new owner's (transfer.js): the same controls, ids
// and rules, so the API's field errors land on the same fields.

/** The API's rules for a customer's name and address: control id → error code or null. */
export const CUSTOMER_RULES = {
  name: (v) => checkText(v, { max: 100, prefix: 'name', required: true }),
  address: (v) => checkText(v, { max: 300, prefix: 'address' }),
};

/** The customer's full name (``#name``). */
export const nameField = () => field({ id: 'name', label: t('activate.name'),
  control: h('input', { type: 'text', autocomplete: 'name', autocapitalize: 'words', required: true }) });

/** Where the customer lives, both optional: the 34 provinces (``#province``), the address (``#address``). */
export const placeFields = () => [
  field({ id: 'province', label: t('activate.province'), optional: true, control: provinceSelect(t('activate.province_none')) }),
  field({ id: 'address', label: t('activate.address'), optional: true, control: h('input', { type: 'text', autocomplete: 'street-address' }) }),
];

function consentCheck(id, label, required) {
  return h('div', null,
    h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name: id, required: required || null, 'aria-describedby': 'consent-notice' }),
      h('label', { for: id }, label, ' ', h('span', { class: 'opt' }, `(${t(required ? 'form.required' : 'form.optional')})`))),
    h('p', { class: 'err', id: `${id}-err`, hidden: true }));
}

/** The consents, per purpose: the legal notice one tap away, the warranty service (required:
 * ``#consent-service``) and marketing (optional: ``#consent-marketing``), neither ticked. */
export function consentFields() {
  return h('fieldset', null,
    h('legend', null, t('consent.legend')),
    // the long legal notice, one tap away: the form's button stays near the first screen
    h('details', { class: 'legal' },
      h('summary', null, t('consent.notice_open')),
      h('p', { class: 'notice', id: 'consent-notice' }, brandText('consent.notice'))),
    consentCheck('consent-service', brandText('consent.service'), true),
    consentCheck('consent-marketing', brandText('consent.marketing'), false));
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

// ---------------------------------------------------------------- a unit

const STATUS_KIND = { not_activated: 'ok', activated: 'ok', expired: 'warn' };

export function statusBadge(status) {
  return h('span', { class: `badge ${STATUS_KIND[status] || 'bad'}` }, t(`status.${status}`));
}

/** The verdict on a unit view (``/public/units``, ``/serials``, certificates). ``by``: how the
 * unit was found. A scanned QR (``'qr'``, its token is secret) proves the sticker is the
 * brand's; a serial typed from the label (``'serial'``, printed in plain text) only proves the
 * serial is in the brand's register, and says so. A unit someone already activated has its own
 * verdict (not the fresh unit's green check) and tells a buyer of a "new" one what to do. */
export function verdict(unit, { headingLevel = 'h1', next = null, by = 'qr' } = {}) {
  const taken = unit.status === 'activated';
  let kind = 'ok';
  if (unit.status === 'expired' || taken) kind = 'warn';
  else if (by === 'serial') kind = 'info';
  let heading = t('verdict.genuine');
  if (by === 'serial') heading = t('verdict.registered');
  else if (taken) heading = t('verdict.taken');
  return h('section', { class: `verdict ${kind}`, 'aria-labelledby': 'verdict-title' },
    icon(taken ? 'taken' : kind),
    h('div', null,
      h(headingLevel, { id: 'verdict-title', tabindex: '-1' }, heading),
      h('p', { class: 'status' }, h('strong', null, t(`status.${unit.status}`))),
      verdictLines(unit, next, by).map((line) => h('p', { class: 'detail' }, line)),
      by === 'serial' ? h('p', { class: 'detail', id: 'verdict-proves' }, t('verdict.registered_means')) : null,
      taken ? boughtNew() : null));
}

function verdictLines(unit, next, by) {
  const lines = [];
  if (unit.status === 'activated' && by === 'qr') lines.push(t('verdict.genuine_line'));
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
  // the dealer it was shipped to (a QR's landing page only): where a genuine unit came from
  if (unit.sold_through) lines.push(t('verdict.sold_through', { dealer: unit.sold_through }));
  return lines;
}

/** For a buyer who was sold an already activated unit as new: back to the shop, or the brand. */
function boughtNew() {
  const hotline = settings.brand.hotline;
  return h('div', { class: 'advice', id: 'bought-new' },
    h('p', null, h('strong', null, t('verdict.bought_new'))),
    h('p', null, t('verdict.bought_new_shop')),
    h('p', null, hotline
      ? [t('verdict.bought_new_call'), ' ', h('a', { href: telHref(hotline) }, hotline)]
      : h('a', { href: '/contact' }, t('verdict.bought_new_contact'))));
}

/** Grey shapes where a page's first answer will go, so text shows at once and nothing jumps
 * when the answer comes (the same shapes as index.html's, which show before any script). */
export function skeleton(text) {
  return h('div', { class: 'skeleton', role: 'status' },
    h('div', { class: 'skel-verdict' }, h('p', null, text)),
    h('div', { class: 'skel-card', 'aria-hidden': 'true' }));
}

/** A 429's answer. With the wait known (``until``, a timestamp): "try again in 30 seconds",
 * counting down, the button ``buttonId`` held until 0, then ``onDone``. With no wait known,
 * a plain "wait a little, then try again" and the button left alone; ``heading`` goes first
 * in the box. The countdown is not
 * read aloud each second: the alert is announced once, and again when the wait is over. */
export function waitAlert(until, { heading = null, buttonId = null, onDone = null } = {}) {
  if (!until) return alertBox('', heading, h('p', null, t('error.rate_limited_later')));
  const left = () => (until - Date.now()) / 1000;
  const time = h('span', { class: 'countdown', 'aria-live': 'off' }, waitText(left()));
  const [before, after = ''] = t('error.try_in', { time: '\u0000' }).split('\u0000');
  const box = alertBox('', heading, h('p', null, t('error.rate_limited'), ' ', before, time, after));
  const hold = (held) => {
    const button = buttonId && document.getElementById(buttonId);
    if (button) button.disabled = held;
  };
  hold(true);
  const timer = setInterval(() => {
    if (!box.isConnected) {
      clearInterval(timer); // drawn again (a language switch) or gone: that copy counts on
      return;
    }
    if (left() > 0) {
      time.textContent = waitText(left());
      hold(true);
      return;
    }
    clearInterval(timer);
    hold(false);
    box.remove();
    announce(t('error.retry_now'));
    onDone?.();
  }, 250);
  return box;
}

/** A model from the API in the portal's language: ``en`` carries the English texts (the
 * Vietnamese ones where a text has none), the top-level fields are Vietnamese. */
export function localModel(model) {
  const m = model || {};
  const english = language() !== 'vi' && m.en && typeof m.en === 'object' ? m.en : {};
  return { ...m, ...english };
}

/** The product: picture, name, codes, description, key specs, warranty period, brand. */
export function productCard(unit) {
  const model = localModel(unit.model);
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
