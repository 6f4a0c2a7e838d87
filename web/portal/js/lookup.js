// /lookup: by the serial printed on the product. /my: "my products" by phone, proved with a
// one-time code; the lookup token lives in sessionStorage only (gone with the tab). Below the
// units, "your data" (js/my_data.js); on each, "transfer ownership" (js/my_transfer.js).
import { api } from '/shared/js/api.js';
import { h } from '/shared/js/dom.js';
import { errorText, formatDate, t } from '/shared/js/i18n.js';
import { codeFlow } from './code_flow.js';
import { myData } from './my_data.js';
import { myTextsMissing } from './my_shared.js';
import { ownerTransfers } from './my_transfer.js';
import { linkToken, serviceTextsMissing, warrantyHistory } from './service_shared.js';
import {
  alertBox,
  certificatePath,
  field,
  loadFailed,
  loading,
  localModel,
  LOOKUP_SESSION,
  productCard,
  setBusy,
  setTitle,
  showFieldError,
  statusBadge,
  verdict,
  waitAlert,
} from './shell.js';

const SERIAL = /^[A-Z0-9][A-Z0-9-]{2,31}$/;
const SESSION_KEY = LOOKUP_SESSION;

export function lookup(ctx) {
  const state = { result: null, sending: false, serial: (ctx.query.get('serial') || '').slice(0, 40), waitUntil: 0 };

  async function ask(serial) {
    state.sending = true;
    state.serial = serial;
    const button = document.getElementById('lookup-submit');
    if (button) setBusy(button, true, t('lookup.submit'));
    const result = await api(`/public/serials/${encodeURIComponent(serial)}`);
    state.sending = false;
    if (!ctx.alive()) return;
    state.result = result;
    state.waitUntil = result.status === 429 && result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
    // typed with look-alikes (0/O, 1/I/L), the serial found is the one to keep
    if (result.ok && result.data?.serial) state.serial = result.data.serial;
    ctx.replaceUrl(`/lookup?serial=${encodeURIComponent(state.serial)}`);
    ctx.redraw({ focus: '#lookup-result h2' });
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const input = event.currentTarget.querySelector('#serial');
    const serial = input.value.replace(/\s+/g, '').toUpperCase();
    const ok = SERIAL.test(serial);
    showFieldError(input, ok ? null : t('error.serial_invalid'));
    if (!ok) {
      input.focus();
      return;
    }
    ask(serial);
  }

  function outcome() {
    const result = state.result;
    if (!result) return null;
    if (result.ok) return [verdict(result.data, { headingLevel: 'h2', next: t('verdict.not_activated_scan'), by: 'serial' }), productCard(result.data)];
    if (result.status === 404) {
      return alertBox('', h('h2', { tabindex: '-1' }, t('lookup.none_title')), h('p', null, t('lookup.none', { serial: state.serial })));
    }
    if (result.status === 429) {
      const heading = h('h2', { tabindex: '-1' }, t('error.title'));
      return waitAlert(state.waitUntil, { heading, buttonId: 'lookup-submit', onDone: () => { state.result = null; } });
    }
    return alertBox('', h('h2', { tabindex: '-1' }, t('error.title')), h('p', null, errorText(result.error)),
      result.network || result.status >= 500
        ? h('button', { type: 'button', class: 'btn', onclick: () => ask(state.serial) }, t('action.retry')) : null);
  }

  if (SERIAL.test(state.serial.toUpperCase())) queueMicrotask(() => ask(state.serial.toUpperCase()));

  return function draw() {
    setTitle(t('lookup.title'));
    return [
      h('h1', { tabindex: '-1' }, t('lookup.title')),
      h('p', null, t('lookup.intro')),
      h('section', { class: 'card' },
        h('form', { novalidate: true, onsubmit: onSubmit, role: 'search', 'aria-label': t('lookup.title') },
          field({ id: 'serial', label: t('lookup.serial'), hint: t('lookup.serial_hint'), control: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: state.serial }) }),
          h('button', { type: 'submit', class: 'btn block', id: 'lookup-submit', disabled: state.sending || Date.now() < state.waitUntil }, state.sending ? t('form.sending') : t('lookup.submit')))),
      h('div', { id: 'lookup-result' }, outcome()),
    ];
  };
}

// ---------------------------------------------------------------- my products

function readSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (saved && typeof saved.token === 'string' && saved.expires > Date.now()) return saved;
  } catch {
    // unreadable: start again
  }
  forgetSession();
  return null;
}

function forgetSession() {
  try {
    sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}

function keepSession(token, expiresIn, phone) {
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token, expires: Date.now() + expiresIn * 1000, phone }));
  } catch {
    // storage disabled: the list still shows, for this page only
  }
}

export function my(ctx) {
  const state = {
    step: 'phone', // phone → code → list
    token: '',
    units: null,
    failure: null,
    histories: {}, // serial → the warranty history (its requests), once it came
    ownTexts: false, // "your data" and "transfer ownership" have their words (/i18n/my)
  };
  const flow = codeFlow({ ctx, id: 'my', sendPath: '/public/otp', go, onCode: verify });
  const data = myData({ ctx, token: () => state.token, expired });
  const transfers = ownerTransfers({ ctx, token: () => state.token, expired });
  const session = readSession();
  if (session) {
    Object.assign(state, { step: 'list', token: session.token });
    flow.state.masked = session.phone || '';
    loadUnits();
  }

  function go(step, focus) {
    state.step = step;
    ctx.redraw({ keep: false, focus });
  }

  /** The code proves the phone: its look-up token opens the list. */
  async function verify(code) {
    flow.busy(true, t('my.verify'));
    flow.showAlert(null);
    const result = await api('/public/otp/verify', { method: 'POST', body: { phone: flow.state.phone, code } });
    if (!ctx.alive()) return;
    flow.busy(false, t('my.verify'));
    if (result.ok && result.data?.lookup_token) {
      state.token = result.data.lookup_token;
      keepSession(state.token, Number(result.data.expires_in) || 600, flow.state.masked);
      flow.state.alert = null;
      state.units = null;
      go('list', 'h1');
      loadUnits();
      return;
    }
    if (result.status === 429) {
      flow.tooMany(result);
      return;
    }
    if (flow.refused(result.error)) return;
    const error = result.error || {};
    if (result.status === 400 && Array.isArray(error.fields) && error.fields.some((f) => f.field === 'code')) {
      flow.setError('code', () => t('error.otp_format'));
      document.getElementById('code')?.focus();
      return;
    }
    flow.failed(result, () => document.getElementById('my-submit')?.click());
  }

  // ------------------------------------------------------------ step 3: the list

  async function loadUnits() {
    state.failure = null;
    state.units = null;
    const result = await api('/public/my-units', { token: state.token });
    if (!ctx.alive()) return;
    if (result.ok) {
      state.units = Array.isArray(result.data?.units) ? result.data.units : [];
      ctx.redraw();
      loadHistories();
      transfers.load(state.units);
      data.load();
      return;
    }
    if (result.status === 401) {
      expired(result);
      return;
    }
    state.failure = result;
    ctx.redraw();
  }

  /** The session is over (the API said 401): its reason, and the phone's form again. */
  function expired(result) {
    if (!state.token) return; // another call said so first
    forgetSession();
    flow.state.alert = () => alertBox('info', h('p', null, errorText(result.error)));
    Object.assign(state, { token: '', units: null, histories: {} });
    data.reset();
    transfers.reset();
    go('phone', '#phone');
  }

  /** Each unit's warranty history and requests (a failure leaves the card as it is). */
  async function loadHistories() {
    const token = state.token;
    await Promise.all(state.units.map(async (unit) => {
      const result = await api(`/public/units/${encodeURIComponent(unit.serial)}/warranty-history`, { token });
      if (!ctx.alive() || token !== state.token || !result.ok) return;
      state.histories[unit.serial] = result.data;
      ctx.redraw();
    }));
  }

  function signOut() {
    forgetSession();
    Object.assign(state, { token: '', units: null, histories: {} });
    data.reset();
    transfers.reset();
    flow.reset();
    go('phone', '#phone');
  }

  function unitCard(unit, index) {
    const model = localModel(unit.model);
    const title = `unit-${index}`;
    const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
    const history = Array.isArray(unit.history) ? unit.history : [];
    const sig = linkToken(unit.certificate_url, 'c'); // the QR's token: proves the unit to "request service"
    const warranty = state.histories[unit.serial];
    return h('li', { class: 'card', 'aria-labelledby': title },
      h('h2', { id: title }, model.name || model.code || unit.serial),
      h('p', { class: 'code' }, t('product.codes', { model: model.code || '', serial: unit.serial || '' })),
      h('p', null, statusBadge(unit.status)),
      h('dl', { class: 'specs' },
        row(t('cert.activated_on'), formatDate(unit.activated_at)),
        row(unit.status === 'expired' ? t('my.ended') : t('cert.until'), formatDate(unit.warranty_end)),
        row(t('my.owner'), unit.customer_name)),
      certificatePath(unit.certificate_url)
        ? h('p', null, h('a', { href: certificatePath(unit.certificate_url) }, t('done.certificate')))
        : null,
      sig ? h('a', { class: 'btn quiet block', href: `/s/${sig}`, id: `unit-${index}-service` }, t('landing.service')) : null,
      warranty ? warrantyHistory(warranty, index) : null,
      history.length ? [
        h('h3', null, t('my.history')),
        h('ol', { class: 'history' }, history.map((event) => h('li', null,
          `${formatDate(event.at)}: `, t(`event.${event.event}`) === `event.${event.event}` ? String(event.event) : t(`event.${event.event}`)))),
      ] : null,
      state.ownTexts ? transfers.view(unit, index) : null);
  }

  // ------------------------------------------------------------ views

  return function draw() {
    setTitle(t('my.title'));
    const heading = h('h1', { tabindex: '-1' }, t('my.title'));
    if (state.step === 'phone') {
      return [heading, h('p', null, t('my.intro')), flow.phoneForm({ label: t('my.phone'), formLabel: t('my.title') })];
    }
    if (state.step === 'code') return [heading, flow.codeForm({ submitLabel: t('my.verify') })];
    serviceTextsMissing(ctx, () => null); // the requests' words, asked for; the list shows meanwhile
    state.ownTexts = myTextsMissing(ctx, () => 'failed') === null; // likewise: their sections wait
    let body;
    if (state.failure) body = loadFailed(state.failure, () => { loadUnits(); ctx.redraw(); }).slice(1);
    else if (!state.units) body = loading();
    else if (!state.units.length) body = alertBox('info', h('p', null, t('my.empty')));
    else body = h('ul', { class: 'units' }, state.units.map(unitCard));
    return [heading,
      flow.state.masked ? h('p', null, t('my.for', { phone: flow.state.masked })) : null,
      flow.alertArea(),
      body,
      state.units && state.ownTexts ? data.view() : null,
      h('button', { type: 'button', class: 'btn quiet', onclick: signOut }, t('my.sign_out'))];
  };
}
