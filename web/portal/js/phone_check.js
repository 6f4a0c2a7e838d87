// The phone's one-time code before an activation, for brands that confirm phones (issue 11):
// whoever holds the sticker must also hold the phone they name. Loaded only when the brand asks
// for it (or the API does), so the one-minute form costs nothing more.
//
// ``phoneCheck({token, ctx, onCode})`` → {active, open(phone, e164), handles(result), view()}:
// the landing page opens the step with the phone typed in its form, draws ``view()`` in place
// of the (hidden, kept) form while ``active``, sends the activation with the code ``onCode``
// gives it, and hands every refusal to ``handles`` first.
import { api } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { errorText, language, maskPhone, t } from '/shared/js/i18n.js';
import { alertBox, field, setBusy, showFieldError, waitAlert } from './shell.js';

const CODE = /^\d{6}$/;

export function phoneCheck({ token, ctx, onCode }) {
  const state = {
    active: false,
    phone: '', // as typed in the form
    masked: '',
    sentTo: '', // the phone the live code went to
    resendAt: 0,
    alert: null, // () => nodes
    error: null, // () => the code field's message
    sending: false,
  };
  const timer = setInterval(tick, 1000);
  ctx.onLeave(() => clearInterval(timer));

  function tick() {
    const button = document.getElementById('phone-code-resend');
    if (!button) return;
    const left = Math.ceil((state.resendAt - Date.now()) / 1000);
    button.disabled = left > 0 || state.sending;
    button.textContent = left > 0 ? t('phone_code.resend_in', { n: left }) : t('phone_code.resend');
  }

  function redraw(focus = '#phone-code') {
    ctx.redraw({ focus });
    tick();
  }

  async function requestCode() {
    state.sending = true;
    state.alert = null;
    state.error = null;
    const body = { token, phone: state.phone, language: language() };
    const result = await api('/public/activations/code', { method: 'POST', body });
    state.sending = false;
    if (!ctx.alive()) return;
    const error = result.error || {};
    if (result.status === 202 || error.code === 'otp_resend_too_soon') {
      const wait = result.status === 202 ? Number(result.data?.resend_after) || 60 : result.retryAfter || 60;
      state.sentTo = state.phone;
      state.resendAt = Date.now() + wait * 1000;
      const words = result.status === 202 ? t('phone_code.sent', { phone: state.masked }) : t('phone_code.recent');
      state.alert = () => alertBox(result.status === 202 ? 'ok' : 'info', h('p', null, words));
      announce(words);
    } else if (result.status === 429) {
      // counted down when the wait is known, a plain "wait a little" when it is not
      const until = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
      state.alert = () => waitAlert(until, { heading: h('p', null, errorText(error)) });
    } else {
      state.alert = () => alertBox('', h('p', null, errorText(error)));
    }
    redraw();
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const input = document.getElementById('phone-code');
    const code = input.value.replace(/\s+/g, '');
    if (!CODE.test(code)) {
      state.error = () => t('error.otp_format');
      showFieldError(input, state.error());
      input.focus();
      return;
    }
    state.error = null;
    state.alert = null;
    showFieldError(input, null);
    document.getElementById('phone-code-alert')?.replaceChildren();
    state.sending = true;
    setBusy(document.getElementById('phone-code-submit'), true, t('phone_code.submit'));
    onCode(code);
  }

  function back() {
    state.active = false;
    ctx.redraw({ focus: '#phone' });
  }

  return {
    get active() {
      return state.active;
    },

    /** Show the step for ``phone`` (as typed); a new code unless one went to it already. */
    open(phone, e164) {
      state.active = true;
      state.masked = maskPhone(e164);
      state.phone = phone;
      redraw();
      if (phone !== state.sentTo) requestCode();
    },

    /** Take the activation's refusal when it is the step's to answer: ``true`` if it did. */
    handles(result, phone, e164) {
      state.sending = false;
      const error = result.error || {};
      if (error.code === 'phone_code_required') {
        this.open(phone, e164); // the brand turned the check on after this page loaded
        return true;
      }
      if (String(error.code || '').startsWith('phone_code_')) {
        state.active = true;
        state.error = () => errorText(error);
        if (error.code !== 'phone_code_wrong') state.resendAt = Math.min(state.resendAt, Date.now());
        redraw();
        return true;
      }
      if (state.active && (result.network || result.status >= 500 || result.status === 429)) {
        const until = result.status === 429 && result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
        state.alert = result.status === 429
          ? () => waitAlert(until, { buttonId: 'phone-code-submit' })
          : () => alertBox('', h('p', null, errorText(error)));
        redraw('#phone-code-submit'); // the same code, tapped again, is the same attempt
        return true;
      }
      if (state.active) back();
      return false;
    },

    view() {
      queueMicrotask(() => {
        const input = document.getElementById('phone-code');
        if (input && state.error) showFieldError(input, state.error());
      });
      return h('section', { class: 'card', id: 'phone-check' },
        h('form', { novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'phone-code-title' },
          h('h2', { id: 'phone-code-title' }, t('phone_code.title')),
          h('p', { class: 'hint' }, t('phone_code.intro', { phone: state.masked })),
          field({
            id: 'phone-code', label: t('phone_code.code'), hint: t('phone_code.hint'),
            control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]*' }),
          }),
          h('div', { id: 'phone-code-alert' }, state.alert ? state.alert() : null),
          h('button', { type: 'submit', class: 'btn block', id: 'phone-code-submit' }, t('phone_code.submit'))),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn quiet', id: 'phone-code-resend', onclick: () => { if (!state.sending) requestCode(); } }, t('phone_code.resend')),
          h('button', { type: 'button', class: 'linkbtn', id: 'phone-code-back', onclick: back }, t('phone_code.back'))));
    },
  };
}
