// "Your data" on my products (/my), below the units: what Vietnam's personal data protection
// law gives the customer, signed in with the code to their phone. A copy of everything we hold
// (``GET /public/my-data``: JSON, or ``?format=pdf``), their consent per purpose (``GET``/``POST
// /public/my-data/consents``, saved at each toggle) and their erasure request (``GET``/``POST
// /public/my-data/erasure``). Every call carries the session's look-up token: a 401 (the
// session is over) hands back to the page; a 404 (we hold nothing of theirs) hides what it
// concerns.
//
// ``myData({ctx, token, expired})`` → {load, reset, view}: ``token()`` the session's token,
// ``expired(result)`` the page's answer to a 401.
import { api } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { errorText, has, language, t } from '/shared/js/i18n.js';
import { formatMoment } from './my_shared.js';
import { alertBox, loading } from './shell.js';

const FALLBACK_NAME = { json: 'garanti-personal-data.json', pdf: 'garanti-personal-data.pdf' };
const TIMEOUT_MS = 60000; // a PDF of many units is drawn on the server
const NOTHING_HELD = 'privacy_nothing_held';

/** The file name of a ``Content-Disposition`` header (``attachment; filename="x.pdf"``), kept
 * to a plain name; '' when none. The API's CORS must expose the header for a page on another
 * origin to read it: until then the fallback names are used. */
function filenameOf(header) {
  const found = String(header || '').match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  let name = '';
  try {
    name = found ? decodeURIComponent(found[1]) : '';
  } catch {
    name = found[1];
  }
  return /^[\w.-]{1,100}$/.test(name) ? name : '';
}

/** The download as the API answers it: ``{ok, blob, name}`` or ``{ok: false, status, error,
 * network}`` (``api()`` reads JSON only, and this body is a file). */
async function fetchFile(format, token) {
  const base = String((window.GARANTI_CONFIG || {}).apiBase || '').replace(/\/+$/, '');
  const path = format === 'pdf' ? `/public/my-data?format=pdf&lang=${encodeURIComponent(language())}` : '/public/my-data';
  const headers = {
    // API Gateway answers binary only to a request that accepts it
    Accept: format === 'pdf' ? 'application/pdf' : 'application/json',
    'Accept-Language': language(),
    Authorization: `Bearer ${token}`,
  };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(base + path, { headers, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
    if (!response.ok) {
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      return { ok: false, status: response.status, error: data?.error || { code: `http_${response.status}` }, network: false };
    }
    const blob = await response.blob();
    return { ok: true, blob, name: filenameOf(response.headers.get('Content-Disposition')) || FALLBACK_NAME[format] };
  } catch {
    return { ok: false, status: 0, error: { code: 'network' }, network: true };
  } finally {
    clearTimeout(timer);
  }
}

/** Hand ``blob`` to the browser as a download named ``name``. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000); // at once would cancel it in some browsers
}

export function myData({ ctx, token, expired }) {
  const state = {
    nothing: false, // the API holds nothing of this phone: the section is not shown
    downloading: '', // 'json' | 'pdf' while one is fetched
    downloadAlert: null, // () => nodes
    consents: null, // [{purpose, granted, at, channel}] once read
    consentsHidden: false,
    consentsFailed: null, // the failed read's result
    saving: {}, // purpose → the decision being sent
    consentNote: null, // () => nodes: the last decision's outcome
    erasure: undefined, // undefined: not read yet; null: none open; else the open request
    erasureHidden: false,
    erasureFailed: null,
    confirming: false, // the confirmation is open
    erasing: false,
    erasureAlert: null, // () => nodes
  };

  function reset() {
    Object.assign(state, {
      nothing: false, downloading: '', downloadAlert: null, consents: null, consentsHidden: false, consentsFailed: null,
      saving: {}, consentNote: null, erasure: undefined, erasureHidden: false, erasureFailed: null,
      confirming: false, erasing: false, erasureAlert: null,
    });
  }

  /** A refusal every call may get: the session over (handed to the page), or nothing held. */
  function common(result) {
    if (result.status === 401) {
      expired(result);
      return true;
    }
    if (result.status === 404 && result.error?.code === NOTHING_HELD) {
      state.nothing = true;
      ctx.redraw();
      return true;
    }
    return false;
  }

  function load() {
    loadConsents();
    loadErasure();
  }

  // ------------------------------------------------------------ the download

  async function download(format) {
    if (state.downloading) return;
    state.downloading = format;
    state.downloadAlert = null;
    ctx.redraw();
    const result = await fetchFile(format, token());
    state.downloading = '';
    if (!ctx.alive()) return;
    if (result.ok) {
      save(result.blob, result.name);
      announce(t('data.downloaded', { file: result.name }));
    } else if (common(result)) {
      return;
    } else {
      state.downloadAlert = () => alertBox('', h('p', null, errorText(result.error)));
    }
    ctx.redraw();
  }

  function downloadView() {
    const button = (format, label) => {
      const busy = state.downloading === format;
      return h('button', {
        type: 'button',
        class: 'btn',
        id: `data-${format}`,
        'aria-disabled': state.downloading ? 'true' : null,
        onclick: () => download(format),
      }, busy ? t('data.preparing') : label);
    };
    return h('section', { class: 'card', 'aria-labelledby': 'data-download-title', 'aria-busy': state.downloading ? 'true' : 'false' },
      h('h3', { id: 'data-download-title' }, t('data.download_title')),
      h('p', null, t('data.download_intro')),
      h('div', { class: 'row' }, button('json', t('data.download_json')), button('pdf', t('data.download_pdf'))),
      h('div', { id: 'data-download-alert' }, state.downloadAlert ? state.downloadAlert() : null));
  }

  // ------------------------------------------------------------ consents

  const consentsOf = (data) => (Array.isArray(data?.consents) ? data.consents : []);

  async function loadConsents() {
    state.consentsFailed = null;
    const result = await api('/public/my-data/consents', { token: token() });
    if (!ctx.alive()) return;
    if (result.ok) state.consents = consentsOf(result.data);
    else if (common(result)) return;
    else if (result.status === 404) state.consentsHidden = true; // customer_not_found: nothing to decide
    else state.consentsFailed = result;
    ctx.redraw();
  }

  async function decide(purpose, granted) {
    state.saving[purpose] = granted;
    state.consentNote = null;
    ctx.redraw();
    const result = await api('/public/my-data/consents', { method: 'POST', body: { purpose, granted }, token: token() });
    delete state.saving[purpose];
    if (!ctx.alive()) return;
    if (result.ok) {
      state.consents = consentsOf(result.data);
      const text = () => t(granted ? 'data.saved_on' : 'data.saved_off', { purpose: t(`data.purpose.${purpose}`) });
      state.consentNote = () => h('p', { class: 'saved' }, text());
      announce(text());
    } else if (common(result)) {
      return;
    } else {
      state.consentNote = () => alertBox('', h('p', null, errorText(result.error)));
    }
    ctx.redraw();
  }

  function channelText(channel) {
    if (!channel) return '';
    return has(`data.channel.${channel}`) ? t(`data.channel.${channel}`) : channel;
  }

  function decided(consent) {
    if (consent.granted === null || consent.granted === undefined || !consent.at) return t('data.decided_never');
    const params = { when: formatMoment(consent.at), channel: channelText(consent.channel) };
    return t(consent.granted ? 'data.decided_yes' : 'data.decided_no', params);
  }

  function consentRow(consent) {
    const { purpose } = consent;
    const id = `data-consent-${purpose}`;
    const saving = purpose in state.saving;
    const on = saving ? state.saving[purpose] : consent.granted === true;
    // no ``name``: the page's redraw must not put back what the box showed before the answer
    const box = h('input', {
      type: 'checkbox',
      role: 'switch',
      class: 'switch',
      id,
      checked: on,
      'aria-describedby': `${id}-why ${id}-when`,
      onchange: (event) => {
        if (saving) {
          event.target.checked = on; // one decision at a time
          return;
        }
        decide(purpose, event.target.checked);
      },
    });
    return h('li', { class: 'consent', 'aria-busy': saving ? 'true' : 'false' },
      h('div', { class: 'switch-row' },
        h('label', { for: id }, t(`data.purpose.${purpose}`)),
        box),
      h('p', { class: 'hint', id: `${id}-why` }, t(`data.purpose.${purpose}_why`)),
      h('p', { class: 'hint when', id: `${id}-when` }, saving ? t('form.sending') : decided(consent)));
  }

  function consentsView() {
    if (state.consentsHidden) return null;
    let body;
    if (state.consentsFailed) {
      body = alertBox('', h('p', null, errorText(state.consentsFailed.error)),
        h('button', { type: 'button', class: 'btn', onclick: () => { state.consentsFailed = null; loadConsents(); ctx.redraw(); } }, t('action.retry')));
    } else if (!state.consents) body = loading();
    else body = h('ul', { class: 'plain consents' }, state.consents.map(consentRow));
    return h('section', { class: 'card', 'aria-labelledby': 'data-consents-title', id: 'data-consents' },
      h('h3', { id: 'data-consents-title' }, t('data.consents_title')),
      h('p', null, t('data.consents_intro')),
      body,
      h('div', { id: 'data-consent-note' }, state.consentNote ? state.consentNote() : null));
  }

  // ------------------------------------------------------------ erasure

  async function loadErasure() {
    state.erasureFailed = null;
    const result = await api('/public/my-data/erasure', { token: token() });
    if (!ctx.alive()) return;
    if (result.ok) state.erasure = result.data?.request || null;
    else if (common(result)) return;
    else if (result.status === 404) state.erasureHidden = true;
    else state.erasureFailed = result;
    ctx.redraw();
  }

  function confirm(open) {
    state.confirming = open;
    state.erasureAlert = null;
    ctx.redraw({ focus: open ? '#data-erase-confirm-title' : '#data-erase' });
  }

  async function erase() {
    if (state.erasing) return;
    state.erasing = true;
    state.erasureAlert = null;
    ctx.redraw();
    const body = { confirm: true, language: language() };
    const result = await api('/public/my-data/erasure', { method: 'POST', body, token: token() });
    state.erasing = false;
    if (!ctx.alive()) return;
    if (result.ok && result.data?.request) {
      state.erasure = result.data.request;
      state.confirming = false;
      ctx.redraw({ focus: '#data-erasure-open' });
      announce(openText(state.erasure));
      return;
    }
    if (common(result)) return;
    state.erasureAlert = () => alertBox('', h('p', null, errorText(result.error)),
      result.network || result.status >= 500 ? h('button', { type: 'button', class: 'btn', onclick: erase }, t('action.retry')) : null);
    ctx.redraw();
  }

  const openText = (request) => t('data.erase_open', { created: formatMoment(request.created_at), due: formatMoment(request.due_at) });

  function confirmation() {
    return h('div', { class: 'confirm-box', role: 'group', 'aria-labelledby': 'data-erase-confirm-title' },
      h('h4', { id: 'data-erase-confirm-title', tabindex: '-1' }, t('data.erase_confirm_title')),
      h('ul', { class: 'steps' },
        h('li', null, t('data.erase_what')),
        h('li', null, t('data.erase_kept')),
        h('li', null, t('data.erase_when'))),
      h('p', { class: 'hint' }, t('data.erase_first')),
      h('div', { id: 'data-erase-alert' }, state.erasureAlert ? state.erasureAlert() : null),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn danger', id: 'data-erase-confirm', 'aria-disabled': state.erasing ? 'true' : null, onclick: erase },
          state.erasing ? t('form.sending') : t('data.erase_confirm')),
        h('button', { type: 'button', class: 'btn quiet', id: 'data-erase-keep', onclick: () => confirm(false) }, t('data.erase_keep'))));
  }

  function erasureView() {
    if (state.erasureHidden) return null;
    let body;
    if (state.erasureFailed) {
      body = alertBox('', h('p', null, errorText(state.erasureFailed.error)),
        h('button', { type: 'button', class: 'btn', onclick: () => { state.erasureFailed = null; loadErasure(); ctx.redraw(); } }, t('action.retry')));
    } else if (state.erasure === undefined) body = loading();
    else if (state.erasure) body = alertBox('info', h('p', { id: 'data-erasure-open', tabindex: '-1' }, openText(state.erasure)));
    else if (state.confirming) body = confirmation();
    else {
      body = h('button', { type: 'button', class: 'btn danger', id: 'data-erase', onclick: () => confirm(true) }, t('data.erase'));
    }
    return h('section', { class: 'card', 'aria-labelledby': 'data-erase-title', id: 'data-erasure' },
      h('h3', { id: 'data-erase-title' }, t('data.erase_title')),
      h('p', null, t('data.erase_intro')),
      body);
  }

  // ------------------------------------------------------------ the section

  function view() {
    if (state.nothing) return null;
    return h('section', { class: 'my-data', id: 'my-data', 'aria-labelledby': 'data-title' },
      h('h2', { id: 'data-title' }, t('data.title')),
      h('p', null, t('data.intro')),
      downloadView(),
      consentsView(),
      erasureView());
  }

  return { load, reset, view };
}
