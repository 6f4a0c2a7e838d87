// /transfer?s=<serial>: the new owner of a unit takes it over. The owner named their phone on
// my products (js/my_transfer.js); the message with the 6-digit code links here. They type the
// code and their details (the activation form's: name, province, address, consents) and
// ``POST /public/transfers/accept``: the warranty is theirs, its end unchanged.
import { api, attemptKeys, checkPhone, cleanText } from '/shared/js/api.js';
import { announce, h, icon } from '/shared/js/dom.js';
import { errorText, fieldText, formatDate, language, t } from '/shared/js/i18n.js';
import { checkAsTyped, cleanSerial, SERIAL, showRefusal } from './installation_form.js';
import { myTextsMissing } from './my_shared.js';
import {
  alertBox,
  consentFields,
  CUSTOMER_RULES,
  field,
  nameField,
  placeFields,
  loadFailed,
  setBusy,
  setTitle,
  showFieldError,
} from './shell.js';

const CODE = /^\d{6}$/;

// API field paths → the form's controls
const FIELDS = {
  serial: 'serial',
  phone: 'phone',
  code: 'code',
  name: 'name',
  province: 'province',
  address: 'address',
  'consents.warranty_service': 'consent-service',
  'consents.marketing': 'consent-marketing',
};

// in the form's order: the first field in error gets the focus
const RULES = {
  serial: (v) => (SERIAL.test(cleanSerial(v)) ? null : 'serial_invalid'),
  phone: (v) => checkPhone(v).code || null,
  code: (v) => (CODE.test(v.replace(/\s+/g, '')) ? null : 'otp_format'),
  name: CUSTOMER_RULES.name,
  address: CUSTOMER_RULES.address,
};

export function transfer(ctx) {
  const state = {
    serial: cleanSerial(ctx.query.get('s') || '').slice(0, 32),
    errors: {}, // control id → () => message
    alert: null, // () => nodes in the form's alert area
    sending: false,
    waitUntil: 0,
    body: null,
    done: null, // the 200 body: {serial, model_name, warranty_end}
  };
  const keyFor = attemptKeys(); // "try again" of the same values is the same attempt

  function setError(id, message) {
    if (message) state.errors[id] = message;
    else delete state.errors[id];
    const control = document.getElementById(id);
    if (control) showFieldError(control, message ? message() : null);
  }

  function check(control) {
    const code = RULES[control.id]?.(control.value);
    setError(control.id, code ? () => fieldText(code) : null);
    return !code;
  }

  function setAlert(build) {
    state.alert = build;
    document.getElementById('transfer-alert')?.replaceChildren(...(state.alert ? [state.alert()].flat() : []));
  }

  const showAlert = (build) => setAlert(build ? () => alertBox('', build()) : null);

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const form = event.currentTarget;
    const invalid = Object.keys(RULES).filter((id) => !check(form.querySelector(`#${id}`)));
    const service = form.querySelector('#consent-service');
    if (!service.checked) {
      setError('consent-service', () => t('error.transfer_consent_required'));
      invalid.push('consent-service');
    } else setError('consent-service', null);
    if (invalid.length) {
      showAlert(() => h('p', null, t('form.fix', { n: invalid.length })));
      form.querySelector(`#${invalid[0]}`).focus();
      return;
    }
    const value = (id) => form.querySelector(`#${id}`).value;
    state.serial = cleanSerial(value('serial'));
    state.body = {
      serial: state.serial,
      phone: value('phone').trim(),
      code: value('code').replace(/\s+/g, ''),
      name: cleanText(value('name')),
      province: value('province'),
      address: cleanText(value('address')),
      consents: { warranty_service: true, marketing: form.querySelector('#consent-marketing').checked },
      language: language(),
    };
    send();
  }

  function busy(sending) {
    state.sending = sending;
    const button = document.getElementById('transfer-submit');
    if (button) setBusy(button, sending, t('transfer.submit'));
  }

  async function send() {
    showAlert(null);
    busy(true);
    const headers = { 'Idempotency-Key': keyFor(state.body) };
    const result = await api('/public/transfers/accept', { method: 'POST', body: state.body, headers });
    if (!ctx.alive()) return;
    busy(false);
    if (result.ok) {
      state.done = result.data || {};
      ctx.redraw({ keep: false, focus: 'h1' });
      announce(t('transfer.done_title'));
      return;
    }
    answer(result);
  }

  /** Every refusal of the API, on its field when it names one, else in the form's alert. */
  function answer(result) {
    const error = result.error || {};
    if (error.code === 'transfer_code_wrong') {
      const input = document.getElementById('code');
      if (input) input.value = '';
      setError('code', () => errorText(error));
      input?.focus();
      return;
    }
    // transfer_not_found, transfer_code_exhausted, transfer_expired and anything new: the
    // API's words (the owner has to start again), and the brand's hotline
    showRefusal(result, { fields: FIELDS, prefix: 'transfer', state, setError, setAlert, showAlert, retry: send });
  }

  function form() {
    const el = h('form', { novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'transfer-form-title', id: 'transfer-form' },
      h('fieldset', null,
        h('legend', { id: 'transfer-form-title' }, t('transfer.product')),
        field({ id: 'serial', label: t('transfer.serial'), control: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: state.serial }) }),
        field({ id: 'phone', label: t('transfer.phone'), hint: t('transfer.phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel' }) }),
        field({ id: 'code', label: t('transfer.code'), hint: t('transfer.code_hint'), control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]*' }) })),
      h('fieldset', null,
        h('legend', null, t('transfer.you')),
        nameField(),
        placeFields()),
      consentFields(),
      h('div', { id: 'transfer-alert', tabindex: '-1' }, state.alert ? state.alert() : null),
      h('button', { type: 'submit', class: 'btn block', id: 'transfer-submit', disabled: state.sending || Date.now() < state.waitUntil },
        state.sending ? t('form.sending') : t('transfer.submit')));
    checkAsTyped(el.querySelectorAll('input[type=text], input[type=tel]'), check);
    el.querySelector('#consent-service').addEventListener('change', (e) => { if (e.target.checked) setError('consent-service', null); });
    // errors found earlier (kept across a language switch)
    queueMicrotask(() => {
      for (const [id, message] of Object.entries(state.errors)) {
        const control = document.getElementById(id);
        if (control) showFieldError(control, message());
      }
    });
    return h('section', { class: 'card' }, el);
  }

  function done() {
    const result = state.done;
    setTitle(t('transfer.done_title'));
    return [
      h('section', { class: 'verdict ok', 'aria-labelledby': 'transfer-done-title' },
        icon('ok'),
        h('div', null,
          h('h1', { id: 'transfer-done-title', tabindex: '-1' }, t('transfer.done_title')),
          h('p', { class: 'detail', id: 'transfer-done' }, t('transfer.done', {
            model: result.model_name || '',
            serial: result.serial || state.serial,
            date: formatDate(result.warranty_end),
          })))),
      h('a', { class: 'btn block', href: '/my', id: 'transfer-my' }, t('transfer.done_my')),
    ];
  }

  return function draw() {
    const waiting = myTextsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry));
    if (waiting) return waiting;
    if (state.done) return done();
    setTitle(t('transfer.title'));
    return [
      h('h1', { tabindex: '-1' }, t('transfer.title')),
      h('p', null, t('transfer.intro')),
      form(),
    ];
  };
}
