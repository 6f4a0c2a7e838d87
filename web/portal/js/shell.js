// What the portal's pages share: the brand's settings and theme, the header and footer, the
// document title, and the pieces several pages draw (a unit's verdict and product card, form
// fields, alerts). The router and the pages import it; it imports neither.

import { h, icon, safeUrl, telHref } from '/shared/js/dom.js';
import { errorText, formatDate, formatNumber, language, LANGUAGES, t } from '/shared/js/i18n.js';

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

/** The portal path of a certificate link from the API: only `/c/<token>` on this site. */
export function certificatePath(url) {
  try {
    const path = new URL(url, location.origin).pathname;
    return /^\/c\/[A-Za-z0-9_-]+$/.test(path) ? path : null;
  } catch {
    return null;
  }
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
