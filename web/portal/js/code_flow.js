// A phone number, then the one-time code sent to it: the two steps that "My products" (/my)
// and the partner pages (/partner: sign-up and sign-in) share. The page keeps its own steps
// and draws ``phoneForm()`` and ``codeForm()`` in them; the flow sends the code, counts down
// the resend, checks what is typed as the API would, and answers the API's refusals of a code
// the same way on every page (the reason on the code field, or in the form's alert).
//
// ``codeFlow({ctx, id, sendPath, go, onCode})``:
// - ``id``: the page's ids (``<id>-submit`` the forms' button, ``<id>-alert`` their alert area);
// - ``sendPath``: where the code is asked for (``POST {phone, language}`` → 202);
// - ``go(step, focus)``: the page moves to its step ``'phone'`` or ``'code'``;
// - ``onCode(code)``: what the page does with a well-formed code (it calls ``refused``,
//   ``tooMany`` or ``failed`` with the API's answer when it is not accepted).
import { api, checkPhone } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { errorText, fieldText, language, maskPhone, t } from '/shared/js/i18n.js';
import { alertBox, field, setBusy, showFieldError, waitAlert } from './shell.js';

const CODE = /^\d{6}$/;
const REFUSED = ['otp_expired', 'otp_attempts_exhausted', 'otp_invalid'];

export function codeFlow({ ctx, id, sendPath, go, onCode }) {
  const submitId = `${id}-submit`;
  const alertId = `${id}-alert`;
  const state = {
    phone: '', // as typed (sent again on resend)
    masked: '',
    code: '', // kept after a failure of ours, so "try again" sends it again
    resendAt: 0,
    waitUntil: 0, // after a 429: the form's button is held until then
    sending: false,
    alert: null, // () => nodes in the form's alert area
    errors: {}, // control id → () => message
  };
  const timer = setInterval(tick, 1000);
  ctx.onLeave(() => clearInterval(timer));

  function tick() {
    const button = document.getElementById('resend');
    if (!button) return;
    const left = Math.ceil((state.resendAt - Date.now()) / 1000);
    button.disabled = left > 0 || state.sending;
    button.textContent = left > 0 ? t('my.resend_in', { n: left }) : t('my.resend');
  }

  /** The form's alert area: ``build`` gives the whole alert (kept to draw it again). */
  function setAlert(build) {
    state.alert = build;
    document.getElementById(alertId)?.replaceChildren(...(state.alert ? [state.alert()].flat() : []));
  }

  function showAlert(build, kind = '') {
    setAlert(build ? () => alertBox(kind, build()) : null);
  }

  function setError(controlId, message) {
    if (message) state.errors[controlId] = message;
    else delete state.errors[controlId];
    const control = document.getElementById(controlId);
    if (control) showFieldError(control, message ? message() : null);
  }

  /** Errors and the resend countdown, again on a page drawn anew (a language switch). */
  function restoreErrors() {
    queueMicrotask(() => {
      for (const [controlId, message] of Object.entries(state.errors)) {
        const control = document.getElementById(controlId);
        if (control) showFieldError(control, message());
      }
      tick();
    });
  }

  function reset() {
    Object.assign(state, { phone: '', masked: '', code: '', alert: null, errors: {} });
  }

  /** The button the page is sending with: busy (or not) under ``label``. */
  function busy(sending, label) {
    state.sending = sending;
    const button = document.getElementById(submitId);
    if (button) setBusy(button, sending, label);
  }

  /** A 429: the alert counts down the wait the API gave, holding the form's button (a refused
   * resend waits on the resend button's own countdown). */
  function tooMany(result, fromForm = true) {
    const until = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
    if (fromForm) state.waitUntil = until;
    else if (until) state.resendAt = Math.max(state.resendAt, until);
    setAlert(() => waitAlert(until, { buttonId: fromForm ? submitId : null, onDone: () => { state.alert = null; } }));
    tick();
  }

  /** Any other failure: the API's words, and "try again" when it may work the second time. */
  function failed(result, retry) {
    const again = result.network || result.status >= 500;
    showAlert(() => [
      h('p', null, result.network ? t('error.network') : errorText(result.error)),
      again ? h('button', { type: 'button', class: 'btn', onclick: retry }, t('action.retry')) : null,
    ]);
  }

  // ------------------------------------------------------------ the code to the phone

  async function requestCode() {
    const fromPhone = !document.getElementById('code');
    const button = document.getElementById(fromPhone ? submitId : 'resend');
    state.sending = true;
    showAlert(null);
    if (button) setBusy(button, true, t('my.send'));
    const result = await api(sendPath, { method: 'POST', body: { phone: state.phone, language: language() } });
    state.sending = false;
    if (!ctx.alive()) return;
    const live = document.getElementById(submitId); // the page may have been drawn again
    if (live && fromPhone) setBusy(live, false, t('my.send'));
    const error = result.error || {};
    if (result.status === 202) {
      state.resendAt = Date.now() + (Number(result.data?.resend_after) || 60) * 1000;
      state.alert = () => alertBox('ok', h('p', null, t('my.sent', { phone: state.masked })));
      state.errors = {};
      state.code = '';
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
    if (!fromPhone) tick();
    const phoneField = result.status === 400 && Array.isArray(error.fields) ? error.fields.find((f) => f.field === 'phone') : null;
    if (phoneField && fromPhone) {
      setError('phone', () => fieldText(phoneField.code, phoneField.message));
      document.getElementById('phone')?.focus();
      return;
    }
    if (result.status === 429) {
      tooMany(result, fromPhone);
      return;
    }
    failed(result, requestCode);
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

  // ------------------------------------------------------------ the code

  function onCodeSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const input = event.currentTarget.querySelector('#code');
    const code = input.value.replace(/\s+/g, '');
    if (!CODE.test(code)) {
      setError('code', () => t('error.otp_format'));
      input.focus();
      return;
    }
    setError('code', null);
    state.code = code;
    onCode(code);
  }

  /** The API refused the code (``otp_*``): ``true`` when it was that. A wrong code says the
   * attempts left on the field; a code that can no longer work says so and frees "send a new
   * code" at once. ``step``: the page is elsewhere (a sign-up's details) and goes back. */
  function refused(error, { back = false } = {}) {
    const code = error?.code;
    if (code !== 'otp_wrong_code' && !REFUSED.includes(code)) return false;
    state.code = '';
    state.errors = {};
    state.alert = null;
    if (code === 'otp_wrong_code') {
      const left = Number(error.attempts_left);
      if (!(left > 0)) state.resendAt = Math.min(state.resendAt, Date.now());
      state.errors.code = () => (left > 0 ? t('error.otp_wrong_code', { attempts_left: left }) : t('error.otp_attempts_exhausted'));
    } else {
      state.resendAt = Math.min(state.resendAt, Date.now());
      state.alert = () => alertBox('', h('p', null, errorText(error)));
    }
    if (back || !document.getElementById('code')) {
      go('code', code === 'otp_wrong_code' ? '#code' : '#resend');
      return true;
    }
    const input = document.getElementById('code');
    input.value = '';
    setAlert(state.alert);
    setError('code', state.errors.code || null);
    tick();
    (code === 'otp_wrong_code' ? input : document.getElementById('resend') || input).focus();
    return true;
  }

  // ------------------------------------------------------------ views

  function submitButton(label) {
    return h('button', { type: 'submit', class: 'btn block', id: submitId, disabled: state.sending || Date.now() < state.waitUntil },
      state.sending ? t('form.sending') : label);
  }

  const alertArea = () => h('div', { id: alertId }, state.alert ? state.alert() : null);

  /** The phone's form (its card): ``label`` names the field, ``formLabel`` the form. */
  function phoneForm({ label, formLabel }) {
    restoreErrors();
    return h('section', { class: 'card' },
      h('form', { novalidate: true, onsubmit: onPhone, 'aria-label': formLabel },
        field({ id: 'phone', label, hint: t('my.phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', value: state.phone }) }),
        alertArea(),
        submitButton(t('my.send'))));
  }

  /** The code's form (its card), with "send a new code" and "use another number". */
  function codeForm({ submitLabel }) {
    restoreErrors();
    return h('section', { class: 'card' },
      h('form', { novalidate: true, onsubmit: onCodeSubmit, 'aria-label': t('my.code') },
        field({ id: 'code', label: t('my.code'), hint: t('my.code_hint', { phone: state.masked }), control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]*', value: state.code }) }),
        alertArea(),
        submitButton(submitLabel)),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn quiet', id: 'resend', onclick: () => { if (!state.sending) requestCode(); } }, t('my.resend')),
        h('button', { type: 'button', class: 'linkbtn', onclick: () => { state.alert = null; state.errors = {}; go('phone', '#phone'); } }, t('my.change'))));
  }

  return { state, phoneForm, codeForm, alertArea, submitButton, busy, refused, tooMany, failed, showAlert, setAlert, setError, restoreErrors, reset };
}
