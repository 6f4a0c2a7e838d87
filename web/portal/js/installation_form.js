// The installer's activation form, shared by the partner page ("Activate a unit": the serial
// typed or scanned) and the landing page ("I installed this product": the unit is the QR's):
// the customer's name and phone, the store (optional), the installation day, the installer
// (typed, or the signed-in partner's, shown and locked), notes, and the customer's consent.
// It checks what is typed as the API would, builds the request's body, and shows every
// refusal of the API on its field or in the form's alert, in the page's language.
//
// ``installationForm({ctx, withSerial, submitLabel, onSend})`` → {view, answer, busy, reset,
// setSerial, body}: ``onSend(body, idempotencyKey)`` is the page's call (it hands the result
// back to ``answer`` for anything it does not handle itself); ``view({installer,
// withInstaller, scan, title, intro})`` draws it (see there).
import { attemptKeys, checkPhone, checkText, cleanText } from '/shared/js/api.js';
import { h, telHref } from '/shared/js/dom.js';
import { errorText, fieldText, formatDate, language, t } from '/shared/js/i18n.js';
import { alertBox, brandText, field, setBusy, settings, showFieldError, waitAlert } from './shell.js';

export const SERIAL = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

// API field paths → the form's controls
const FIELDS = {
  serial: 'i-serial',
  'customer.name': 'i-name',
  'customer.phone': 'i-phone',
  'installer.store': 'i-store',
  'installer.installed_on': 'i-installed-on',
  'installer.name': 'i-installer-name',
  'installer.phone': 'i-installer-phone',
  'installer.notes': 'i-notes',
  'consents.warranty_service': 'i-consent',
};

/** Today in Vietnam's calendar (the API's: UTC+7 all year), ``YYYY-MM-DD``. */
export const vietnamToday = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

export const cleanSerial = (value) => String(value).replace(/\s+/g, '').toUpperCase();

function dayCode(value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value ? 'date_invalid' : 'installed_on_required';
  return value > vietnamToday() ? 'installed_on_in_future' : null;
}

/** The form's own checks, mirroring the API's (it checks again): control id → code or null. */
const RULES = {
  'i-serial': (v) => (SERIAL.test(cleanSerial(v)) ? null : 'serial_invalid'),
  'i-name': (v) => checkText(v, { max: 100, prefix: 'name', required: true }),
  'i-phone': (v) => checkPhone(v).code || null,
  'i-store': (v) => checkText(v, { max: 120, prefix: 'store' }),
  'i-installed-on': dayCode,
  'i-installer-name': (v) => checkText(v, { max: 100, prefix: 'name', required: true }),
  'i-installer-phone': (v) => checkPhone(v).code || null,
  'i-notes': (v) => checkText(v, { max: 500, prefix: 'note' }),
};

export function installationForm({ ctx, withSerial, submitLabel, onSend }) {
  const state = {
    alert: null, // () => nodes
    errors: {}, // control id → () => message
    sending: false,
    waitUntil: 0,
    serial: '',
    body: null,
    installer: null, // the signed-in partner's {name, phone}, shown and locked
    typedInstaller: false, // the installer's name and phone are asked for
  };
  const keyFor = attemptKeys();

  function setAlert(build) {
    state.alert = build;
    document.getElementById('install-alert')?.replaceChildren(...(state.alert ? [state.alert()].flat() : []));
  }

  const showAlert = (build, kind = '') => setAlert(build ? () => alertBox(kind, build()) : null);

  function setError(id, message) {
    if (message) state.errors[id] = message;
    else delete state.errors[id];
    const control = document.getElementById(id);
    if (control) showFieldError(control, message ? message() : null);
  }

  function check(control) {
    const rule = RULES[control.id];
    if (!rule || control.readOnly) return null;
    const code = rule(control.value);
    setError(control.id, code ? () => fieldText(code) : null);
    return code;
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const form = event.currentTarget;
    const invalid = [];
    for (const control of form.querySelectorAll('input, textarea')) {
      if (control.type !== 'checkbox' && check(control)) invalid.push(control);
    }
    const consent = form.querySelector('#i-consent');
    if (!consent.checked) {
      setError('i-consent', () => t('error.install_consent_required'));
      invalid.push(consent);
    } else setError('i-consent', null);
    if (invalid.length) {
      showAlert(() => h('p', null, t('form.fix', { n: invalid.length })));
      invalid[0].focus();
      return;
    }
    showAlert(null);
    const value = (id) => form.querySelector(`#${id}`)?.value ?? '';
    const installer = {
      installed_on: value('i-installed-on'),
      store: cleanText(value('i-store')),
      notes: cleanText(value('i-notes')),
    };
    if (state.typedInstaller) {
      installer.name = cleanText(value('i-installer-name'));
      installer.phone = value('i-installer-phone').trim();
    }
    state.body = {
      customer: { name: cleanText(value('i-name')), phone: value('i-phone').trim() },
      consents: { warranty_service: true, marketing: false },
      installer,
      language: language(),
    };
    if (withSerial) state.body.serial = cleanSerial(value('i-serial'));
    send();
  }

  function send() {
    busy(true);
    onSend(state.body, keyFor(state.body));
  }

  function busy(sending) {
    state.sending = sending;
    const button = document.getElementById('install-submit');
    if (button) setBusy(button, sending, submitLabel());
  }

  /** Every refusal of the API: on its field when it names one, else in the form's alert. */
  function answer(result) {
    busy(false);
    const error = result.error || {};
    if (error.code === 'already_activated' || error.code === 'unit_not_found') {
      const words = error.code === 'already_activated'
        ? t('install.already', { date: formatDate(error.activated_at) }) : t('install.unit_not_found');
      if (withSerial) {
        setError('i-serial', () => words);
        document.getElementById('i-serial')?.focus();
      }
      showAlert(() => h('p', null, words));
      return;
    }
    showRefusal(result, { fields: FIELDS, prefix: 'install', state, setError, setAlert, showAlert, retry: send });
  }

  /** A new, empty form (after a unit was activated). */
  function reset() {
    Object.assign(state, { alert: null, errors: {}, body: null, serial: '' });
  }

  /** The serial a scan found: into its field, checked. */
  function setSerial(serial) {
    state.serial = serial;
    const input = document.getElementById('i-serial');
    if (!input) return;
    input.value = serial;
    check(input);
    input.focus();
  }

  function installerFields() {
    const locked = state.installer;
    if (locked) {
      return h('fieldset', null,
        h('legend', null, t('install.installer')),
        h('p', { class: 'hint', id: 'i-installer-hint' }, t('install.installer_locked')),
        field({ id: 'i-installer-name', label: t('install.installer_name'), control: h('input', { type: 'text', value: locked.name, readonly: true, 'aria-describedby': 'i-installer-hint' }) }),
        field({ id: 'i-installer-phone', label: t('install.installer_phone'), control: h('input', { type: 'tel', value: locked.phone, readonly: true, 'aria-describedby': 'i-installer-hint' }) }));
    }
    return h('fieldset', null,
      h('legend', null, t('install.installer')),
      h('p', { class: 'hint' }, t('install.installer_typed')),
      field({ id: 'i-installer-name', label: t('install.installer_name'), control: h('input', { type: 'text', autocomplete: 'name', autocapitalize: 'words' }) }),
      field({ id: 'i-installer-phone', label: t('install.installer_phone'), hint: t('my.phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel' }) }));
  }

  /** The form in its card. ``withInstaller``: who installed it is part of the form (the
   * landing page; the partner page knows): ``installer``, the signed-in partner's ``{name,
   * phone}`` shown and locked, else typed. ``scan``: a button under the serial, or null. */
  function view({ installer = null, withInstaller = false, scan = null, title, intro } = {}) {
    state.installer = installer;
    state.typedInstaller = withInstaller && !installer;
    const today = vietnamToday();
    const serial = withSerial
      ? h('div', { class: 'serial-row' },
        field({ id: 'i-serial', label: t('install.serial'), hint: t('install.serial_hint'),
          control: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: state.serial }) }),
        scan)
      : null;
    const form = h('form', { novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'install-title', id: 'install-form' },
      h('div', null, h('h2', { id: 'install-title' }, title), intro ? h('p', { class: 'hint' }, intro) : null),
      serial,
      h('fieldset', null,
        h('legend', null, t('install.customer')),
        field({ id: 'i-name', label: t('install.customer_name'), control: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'words' }) }),
        field({ id: 'i-phone', label: t('install.customer_phone'), hint: t('install.customer_phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'off' }) })),
      field({ id: 'i-store', label: t('install.store'), optional: true, hint: t('install.store_hint'), control: h('input', { type: 'text', autocomplete: 'off' }) }),
      field({ id: 'i-installed-on', label: t('install.installed_on'), control: h('input', { type: 'date', value: today, max: today, required: true }) }),
      withInstaller ? installerFields() : null,
      field({ id: 'i-notes', label: t('install.notes'), optional: true, control: h('textarea', { rows: 3, maxlength: 500 }) }),
      h('fieldset', null,
        h('legend', null, t('install.consent_legend')),
        h('details', { class: 'legal' },
          h('summary', null, t('consent.notice_open')),
          h('p', { class: 'notice', id: 'i-consent-notice' }, brandText('consent.notice'))),
        h('div', null,
          h('div', { class: 'check' },
            h('input', { type: 'checkbox', id: 'i-consent', name: 'i-consent', required: true, 'aria-describedby': 'i-consent-notice' }),
            h('label', { for: 'i-consent' }, brandText('install.consent'), ' ', h('span', { class: 'opt' }, `(${t('form.required')})`))),
          h('p', { class: 'err', id: 'i-consent-err', hidden: true }))),
      h('div', { id: 'install-alert', tabindex: '-1' }, state.alert ? state.alert() : null),
      h('button', { type: 'submit', class: 'btn block', id: 'install-submit', disabled: state.sending || Date.now() < state.waitUntil },
        state.sending ? t('form.sending') : submitLabel()));
    checkAsTyped(form.querySelectorAll('input:not([type=checkbox]), textarea'), check);
    form.querySelector('#i-consent').addEventListener('change', (e) => { if (e.target.checked) setError('i-consent', null); });
    queueMicrotask(() => {
      for (const [id, message] of Object.entries(state.errors)) {
        const control = document.getElementById(id);
        if (control) showFieldError(control, message());
      }
    });
    return h('section', { class: 'card', id: 'install' }, form);
  }

  return {
    view, answer, busy, reset, setSerial,
    get body() { return state.body; },
  };
}

/** A form's refusal by the API (the form's controls ``{prefix}-submit``, ``-retry``,
 * ``-alert``): field errors on their fields (``fields``: the API's field → the control's id; the
 * others in the alert), a 429 counted down on the submit button, a network or server failure
 * with a retry (``retry``), anything else in the API's words with the brand's hotline. */
export function showRefusal(result, { fields, prefix, state, setError, setAlert, showAlert, retry }) {
  const error = result.error || {};
  if (result.status === 400 && Array.isArray(error.fields) && error.fields.length) {
    let first = null;
    const elsewhere = []; // a field the form has not: its words in the alert
    for (const item of error.fields) {
      const control = document.getElementById(fields[item.field] || '');
      if (!control) {
        elsewhere.push(item);
        continue;
      }
      setError(control.id, () => fieldText(item.code, item.message));
      first ||= control;
    }
    showAlert(() => [
      h('p', null, first ? t('form.fix', { n: error.fields.length - elsewhere.length }) : errorText(error)),
      elsewhere.map((item) => h('p', null, fieldText(item.code, item.message))),
    ]);
    (first || document.getElementById(`${prefix}-submit`))?.focus();
    return;
  }
  if (result.status === 429) {
    state.waitUntil = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
    setAlert(() => waitAlert(state.waitUntil, { buttonId: `${prefix}-submit`, onDone: () => { state.alert = null; } }));
    return;
  }
  if (result.network || result.status >= 500) {
    showAlert(() => [
      h('p', null, result.network ? t('error.network') : errorText(error)),
      h('button', { type: 'button', class: 'btn', id: `${prefix}-retry`, onclick: retry }, t('action.retry')),
    ]);
    document.getElementById(`${prefix}-retry`)?.focus();
    return;
  }
  const hotline = settings.brand.hotline;
  showAlert(() => [
    h('p', null, errorText(error)),
    hotline ? h('p', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null,
  ]);
  document.getElementById(`${prefix}-alert`)?.focus();
}

/** Each of ``controls`` checked when left (with something in it, or shown wrong) and, once shown
 * wrong, as it is corrected. A tap on a button or a box is not held up: a message appearing under
 * the field would move it from under the finger (the submit checks every field anyway). */
export function checkAsTyped(controls, check) {
  for (const control of controls) {
    control.addEventListener('blur', (event) => {
      if (event.relatedTarget?.matches?.('button, input[type=checkbox]')) return;
      if (control.value || control.getAttribute('aria-invalid')) check(control);
    });
    control.addEventListener('input', () => { if (control.getAttribute('aria-invalid')) check(control); });
  }
}
