// The portal's entry: boot (configuration, language, the brand's settings) and the router.
// Pages live in their own modules, loaded on use; each exports one function per route that
// takes the route's context (``ctx``: params, query, the early API call, redraw, replaceUrl…)
// and returns its draw function. Nothing imports this module: pages import /shared/js/* and
// ./shell.js, never the router.

import { api, configureApi } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { LANGUAGES, language, loadCatalogue, rememberLanguage, storedLanguage, t, useLanguage } from '/shared/js/i18n.js';
import { adoptSettings, alertBox, applyTheme, refreshTitle, renderShell, settings } from './shell.js';

configureApi({ baseUrl: (window.GARANTI_CONFIG || {}).apiBase, language });

// ---------------------------------------------------------------- router

const ROUTES = [
  [/^\/q\/([A-Za-z0-9_-]{1,200})\/?$/, 'landing', () => import('./landing.js')],
  [/^\/c\/([A-Za-z0-9_-]{1,200})\/?$/, 'certificate', () => import('./certificate.js')],
  [/^\/s\/([A-Za-z0-9_-]{1,200})\/?$/, 'service', () => import('./service_request.js')],
  [/^\/r\/(SR-[0-9A-Z]{8})\/?$/, 'tracking', () => import('./tracking.js')],
  [/^\/m\/([A-Za-z0-9-]{1,40})\/([A-Za-z0-9_-]{1,32})\/?$/, 'maintenance', () => import('./maintenance.js')],
  [/^\/n\/([A-Za-z0-9_-]{1,200})\/([A-Za-z0-9]{16})\/?$/, 'not_me', () => import('./not_me.js')],
  [/^\/verify\/?$/, 'verify', () => import('./certificate.js')],
  [/^\/lookup\/?$/, 'lookup', () => import('./lookup.js')],
  [/^\/my\/?$/, 'my', () => import('./lookup.js')],
  [/^\/transfer\/?$/, 'transfer', () => import('./transfer.js')],
  [/^\/contact\/?$/, 'contact', () => import('./home.js')],
  [/^\/partner\/?$/, 'partner', () => import('./partner.js')],
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
  const focused = root.contains(document.activeElement) ? document.activeElement : null;
  // where the person was typing, so a redraw does not move the caret to the end (null: no caret)
  const caret = typeof focused?.selectionStart === 'number' ? [focused.selectionStart, focused.selectionEnd] : null;
  return { values, active: focused ? focused.id : '', caret };
}

function restore(root, saved) {
  for (const el of root.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (!(el.name in saved.values)) continue;
    if (el.type === 'checkbox') el.checked = saved.values[el.name];
    else el.value = saved.values[el.name];
  }
  const active = saved.active ? document.getElementById(saved.active) : null;
  active?.focus();
  if (active && saved.caret) {
    try {
      active.setSelectionRange(...saved.caret);
    } catch {
      // not a text control any more
    }
  }
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
    replaceUrl,
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

/** Change the address without a new page (a look-up's result, for instance): ``ctx.replaceUrl``. */
function replaceUrl(path) {
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

async function switchLanguage(event) {
  const next = event.currentTarget.dataset.to || (language() === 'vi' ? 'en' : 'vi');
  let words;
  try {
    words = await loadCatalogue(next);
  } catch {
    announce(t('error.network'));
    return;
  }
  useLanguage(next, words);
  rememberLanguage(next);
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

/** Boot: the catalogue, then the header and footer at once with the defaults; the brand's
 * settings are applied whenever they come (a slow or absent API never holds a page's answer). */
async function boot() {
  startEarly();
  const settled = api('/public/settings', { timeout: 8000 });
  const lang = language();
  let loaded;
  try {
    loaded = await loadCatalogue(lang);
  } catch {
    loaded = await loadCatalogue(lang).catch(() => ({}));
  }
  useLanguage(lang, loaded);
  renderShell();
  document.getElementById('lang').addEventListener('click', switchLanguage);
  document.getElementById('lang-alt').addEventListener('click', switchLanguage);
  settled.then(settingsArrived);
}

/** The brand's settings: its theme, name, hotline and sections, and its default language for
 * someone who never chose one. Pages are drawn again in place (what was typed is kept). */
async function settingsArrived(result) {
  if (!result.ok || previewing) return;
  await showSettings(result.data);
}

async function showSettings(data) {
  adoptSettings(data);
  const wanted = settings.default_language;
  if (!storedLanguage() && wanted && wanted !== language()) {
    try {
      useLanguage(wanted, await loadCatalogue(wanted));
    } catch {
      // keep the language the page is in
    }
  }
  await ready;
  applyTheme();
  renderShell();
  refreshTitle();
  if (current) redraw(current);
}

// ---------------------------------------------------------------- the console's preview

// The brand screen of the staff console shows this page in an <iframe> (``/?preview``) and
// sends the theme being edited, unsaved, whenever it changes. Only a page inside a frame
// listens, and only to the window that framed it: a link that opens the portal on its own
// cannot make it show another brand's hotline.
let previewing = false;

function listenForPreview() {
  if (!new URLSearchParams(location.search).has('preview') || window.parent === window) return;
  window.addEventListener('message', async (event) => {
    const message = event.data;
    if (event.source !== window.parent || message?.type !== 'garanti:preview') return;
    previewing = true;
    const wanted = LANGUAGES.includes(message.language) ? message.language : 'vi';
    if (wanted !== language()) {
      try {
        useLanguage(wanted, await loadCatalogue(wanted));
      } catch {
        // keep the language the page is in
      }
    }
    await showSettings({ ...message.settings, default_language: wanted });
  });
  window.parent.postMessage({ type: 'garanti:preview-ready' }, '*'); // nothing secret in it
}

listenForPreview();
const ready = boot();
route();
