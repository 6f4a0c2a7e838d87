// /lookup: by the serial printed on the product. /my: "my products" by phone, proved with a
// one-time code; the lookup token lives in sessionStorage only (gone with the tab).
import { api, checkPhone } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { errorText, fieldText, formatDate, language, maskPhone, t } from '/shared/js/i18n.js';
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
    phone: '', // as typed (sent again on resend)
    masked: '',
    token: '',
    resendAt: 0,
    alert: null,
    errors: {},
    units: null,
    failure: null,
    sending: false,
    waitUntil: 0, // after a 429: the form's button is held until then
  };
  const session = readSession();
  if (session) {
    Object.assign(state, { step: 'list', masked: session.phone || '', token: session.token });
    loadUnits();
  }
  const timer = setInterval(tick, 1000);
  ctx.onLeave(() => clearInterval(timer));

  function tick() {
    const button = document.getElementById('resend');
    if (!button) return;
    const left = Math.ceil((state.resendAt - Date.now()) / 1000);
    const waiting = left > 0;
    if (button.disabled !== waiting || waiting) {
      button.disabled = waiting || state.sending;
      button.textContent = waiting ? t('my.resend_in', { n: left }) : t('my.resend');
    }
  }

  function showAlert(build, kind = '') {
    setAlert(build ? () => alertBox(kind, build()) : null);
  }

  /** The form's alert area: ``build`` gives the whole alert (kept to draw it again). */
  function setAlert(build) {
    state.alert = build;
    document.getElementById('my-alert')?.replaceChildren(...(state.alert ? [state.alert()] : []));
  }

  /** A 429: the alert counts down the wait the API gave, holding the button that was refused
   * (``my-submit``; a refused resend waits on the resend button's own countdown). */
  function tooMany(result, buttonId) {
    const until = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
    if (buttonId === 'my-submit') state.waitUntil = until;
    else if (until) state.resendAt = Math.max(state.resendAt, until);
    const onDone = () => { state.alert = null; };
    setAlert(() => waitAlert(until, { buttonId, onDone }));
    tick();
  }

  function setError(id, message) {
    if (message) state.errors[id] = message;
    else delete state.errors[id];
    const control = document.getElementById(id);
    if (control) showFieldError(control, message ? message() : null);
  }

  function go(step, focus) {
    state.step = step;
    ctx.redraw({ keep: false, focus });
  }

  // ------------------------------------------------------------ step 1: the code by SMS/Zalo

  async function requestCode() {
    const button = document.getElementById(state.step === 'phone' ? 'my-submit' : 'resend');
    state.sending = true;
    showAlert(null);
    if (button) setBusy(button, true, t('my.send'));
    const result = await api('/public/otp', { method: 'POST', body: { phone: state.phone, language: language() } });
    state.sending = false;
    if (!ctx.alive()) return;
    const live = document.getElementById('my-submit'); // the page may have been drawn again
    if (live && state.step === 'phone') setBusy(live, false, t('my.send'));
    const error = result.error || {};
    if (result.status === 202) {
      state.resendAt = Date.now() + (Number(result.data?.resend_after) || 60) * 1000;
      state.alert = () => alertBox('ok', h('p', null, t('my.sent', { phone: state.masked })));
      state.errors = {};
      go('code', '#code');
      announce(t('my.sent', { phone: state.masked }));
      return;
    }
    if (error.code === 'otp_resend_too_soon') {
      state.resendAt = Date.now() + (result.retryAfter || 60) * 1000;
      state.alert = () => alertBox('info', h('p', null, t('my.recent')));
      go('code', '#code');
      return;
    }
    if (state.step === 'code') tick();
    if (result.status === 400 && Array.isArray(error.fields)) {
      const phoneField = error.fields.find((f) => f.field === 'phone');
      if (phoneField && state.step === 'phone') {
        setError('phone', () => fieldText(phoneField.code, phoneField.message));
        document.getElementById('phone')?.focus();
        return;
      }
    }
    if (result.status === 429) {
      tooMany(result, state.step === 'phone' ? 'my-submit' : null);
      return;
    }
    showAlert(() => [
      h('p', null, errorText(error)),
      result.network || result.status >= 500 ? h('button', { type: 'button', class: 'btn', onclick: requestCode }, t('action.retry')) : null,
    ]);
  }

  function onPhone(event) {
    event.preventDefault();
    if (state.sending) return;
    const input = event.currentTarget.querySelector('#phone');
    const checked = checkPhone(input.value);
    if (checked.code) {
      setError('phone', () => fieldText(checked.code));
      input.focus();
      return;
    }
    setError('phone', null);
    state.phone = input.value.trim();
    state.masked = maskPhone(checked.e164);
    requestCode();
  }

  // ------------------------------------------------------------ step 2: the code

  async function onCode(event) {
    event.preventDefault();
    if (state.sending) return;
    const input = event.currentTarget.querySelector('#code');
    const code = input.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      setError('code', () => t('error.otp_format'));
      input.focus();
      return;
    }
    setError('code', null);
    const button = document.getElementById('my-submit');
    state.sending = true;
    showAlert(null);
    setBusy(button, true, t('my.verify'));
    const result = await api('/public/otp/verify', { method: 'POST', body: { phone: state.phone, code } });
    state.sending = false;
    if (!ctx.alive()) return;
    setBusy(document.getElementById('my-submit') || button, false, t('my.verify'));
    const error = result.error || {};
    if (result.ok && result.data?.lookup_token) {
      state.token = result.data.lookup_token;
      keepSession(state.token, Number(result.data.expires_in) || 600, state.masked);
      state.alert = null;
      state.units = null;
      go('list', 'h1');
      loadUnits();
      return;
    }
    if (result.status === 429) {
      tooMany(result, 'my-submit');
      return;
    }
    if (error.code === 'otp_wrong_code') {
      input.value = ''; // a wrong code is typed again; after a failure of ours it is kept
      const left = Number(error.attempts_left);
      setError('code', () => (left > 0 ? t('error.otp_wrong_code', { attempts_left: left }) : t('error.otp_attempts_exhausted')));
      if (!(left > 0)) state.resendAt = Math.min(state.resendAt, Date.now());
      tick();
      input.focus();
      return;
    }
    if (['otp_expired', 'otp_attempts_exhausted', 'otp_invalid'].includes(error.code)) {
      input.value = '';
      state.resendAt = Math.min(state.resendAt, Date.now());
      tick();
      showAlert(() => h('p', null, errorText(error)));
      document.getElementById('resend')?.focus();
      return;
    }
    if (result.status === 400 && Array.isArray(error.fields) && error.fields.some((f) => f.field === 'code')) {
      setError('code', () => t('error.otp_format'));
      input.focus();
      return;
    }
    showAlert(() => [
      h('p', null, errorText(error)),
      result.network || result.status >= 500 ? h('button', { type: 'button', class: 'btn', onclick: () => document.getElementById('my-submit')?.click() }, t('action.retry')) : null,
    ]);
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
      return;
    }
    if (result.status === 401) {
      forgetSession();
      state.alert = () => alertBox('info', h('p', null, errorText(result.error)));
      state.token = '';
      go('phone', '#phone');
      return;
    }
    state.failure = result;
    ctx.redraw();
  }

  function signOut() {
    forgetSession();
    Object.assign(state, { token: '', units: null, alert: null, errors: {}, phone: '', masked: '' });
    go('phone', '#phone');
  }

  function unitCard(unit, index) {
    const model = localModel(unit.model);
    const title = `unit-${index}`;
    const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
    const history = Array.isArray(unit.history) ? unit.history : [];
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
      history.length ? [
        h('h3', null, t('my.history')),
        h('ol', { class: 'history' }, history.map((event) => h('li', null,
          `${formatDate(event.at)}: `, t(`event.${event.event}`) === `event.${event.event}` ? String(event.event) : t(`event.${event.event}`)))),
      ] : null);
  }

  // ------------------------------------------------------------ views

  function restoreErrors() {
    queueMicrotask(() => {
      for (const [id, message] of Object.entries(state.errors)) {
        const control = document.getElementById(id);
        if (control) showFieldError(control, message());
      }
      tick();
    });
  }

  /** The form's button, busy while sending (a redraw then keeps it so) or held after a 429. */
  function submitButton(label) {
    return h('button', { type: 'submit', class: 'btn block', id: 'my-submit', disabled: state.sending || Date.now() < state.waitUntil },
      state.sending ? t('form.sending') : label);
  }

  return function draw() {
    setTitle(t('my.title'));
    const heading = h('h1', { tabindex: '-1' }, t('my.title'));
    const alert = h('div', { id: 'my-alert' }, state.alert ? state.alert() : null);
    restoreErrors();
    if (state.step === 'phone') {
      return [heading, h('p', null, t('my.intro')),
        h('section', { class: 'card' },
          h('form', { novalidate: true, onsubmit: onPhone, 'aria-label': t('my.title') },
            field({ id: 'phone', label: t('my.phone'), hint: t('my.phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', value: state.phone }) }),
            alert,
            submitButton(t('my.send'))))];
    }
    if (state.step === 'code') {
      return [heading,
        h('section', { class: 'card' },
          h('form', { novalidate: true, onsubmit: onCode, 'aria-label': t('my.code') },
            field({ id: 'code', label: t('my.code'), hint: t('my.code_hint', { phone: state.masked }), control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]*' }) }),
            alert,
            submitButton(t('my.verify'))),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'btn quiet', id: 'resend', onclick: () => { if (!state.sending) requestCode(); } }, t('my.resend')),
            h('button', { type: 'button', class: 'linkbtn', onclick: () => { state.alert = null; state.errors = {}; go('phone', '#phone'); } }, t('my.change'))))];
    }
    let body;
    if (state.failure) body = loadFailed(state.failure, () => { loadUnits(); ctx.redraw(); }).slice(1);
    else if (!state.units) body = loading();
    else if (!state.units.length) body = alertBox('info', h('p', null, t('my.empty')));
    else body = h('ul', { class: 'units' }, state.units.map(unitCard));
    return [heading,
      state.masked ? h('p', null, t('my.for', { phone: state.masked })) : null,
      alert,
      body,
      h('button', { type: 'button', class: 'btn quiet', onclick: signOut }, t('my.sign_out'))];
  };
}
