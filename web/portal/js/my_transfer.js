// "Transfer ownership" on each activated unit of my products (/my): the owner names the new
// owner's phone (``POST /public/my-units/{serial}/transfer``), who gets a 6-digit code and the
// page to confirm on (/transfer, js/transfer.js). Until they do (48 hours), the unit says so and
// the owner may cancel (``POST …/transfer/cancel``); ``GET …/transfer`` reads the pending one.
//
// ``ownerTransfers({ctx, token, expired})`` → {load(units), reset, view(unit, index)}.
import { api, checkPhone } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { errorText, fieldText, language, t } from '/shared/js/i18n.js';
import { formatMoment } from './my_shared.js';
import { alertBox, field, waitAlert } from './shell.js';

const path = (serial) => `/public/my-units/${encodeURIComponent(serial)}/transfer`;

export function ownerTransfers({ ctx, token, expired }) {
  let units = {}; // serial → its transfer's state on this page

  const of = (serial) => {
    units[serial] ||= {
      pending: undefined, // undefined: not read; null: none; else {serial, new_phone_masked, expires_at}
      open: false, // the form is shown
      sending: false,
      error: null, // () => the phone's error
      alert: null, // () => nodes
      waitUntil: 0,
    };
    return units[serial];
  };

  function reset() {
    units = {};
  }

  /** Each activated unit's pending transfer (a failure leaves the unit's button as it is). */
  async function load(list) {
    const session = token();
    await Promise.all(list.filter((unit) => unit.status === 'activated').map(async (unit) => {
      const result = await api(path(unit.serial), { token: session });
      if (!ctx.alive() || session !== token()) return;
      if (result.status === 401) {
        expired(result);
        return;
      }
      if (!result.ok) return;
      of(unit.serial).pending = result.data?.transfer || null;
      ctx.redraw();
    }));
  }

  function open(serial, index, shown) {
    Object.assign(of(serial), { open: shown, error: null, alert: null });
    ctx.redraw({ focus: shown ? `#unit-${index}-new-phone` : `#unit-${index}-transfer` });
  }

  async function start(event, serial, index) {
    event.preventDefault();
    const unit = of(serial);
    if (unit.sending || Date.now() < unit.waitUntil) return;
    const input = document.getElementById(`unit-${index}-new-phone`);
    const checked = checkPhone(input.value);
    if (checked.code) {
      unit.error = () => fieldText(checked.code);
      ctx.redraw({ focus: `#unit-${index}-new-phone` });
      return;
    }
    Object.assign(unit, { sending: true, error: null, alert: null });
    ctx.redraw();
    const body = { new_phone: input.value.trim(), language: language() };
    const result = await api(path(serial), { method: 'POST', body, token: token() });
    unit.sending = false;
    if (!ctx.alive()) return;
    if (result.ok && result.data?.transfer) {
      Object.assign(unit, { pending: result.data.transfer, open: false });
      ctx.redraw({ focus: `#unit-${index}-transfer-pending` });
      announce(t('transfer.sent', { phone: result.data.transfer.new_phone_masked || '' }));
      return;
    }
    answer(result, unit, index);
  }

  /** Every refusal: the phone's on its field, the rest in the form's alert. */
  function answer(result, unit, index) {
    const error = result.error || {};
    if (result.status === 401) {
      expired(result);
      return;
    }
    const onPhone = result.status === 400 && Array.isArray(error.fields)
      ? error.fields.find((f) => f.field === 'new_phone') : null;
    if (onPhone || error.code === 'transfer_same_owner') {
      unit.error = onPhone ? () => fieldText(onPhone.code, onPhone.message) : () => errorText(error);
      ctx.redraw({ focus: `#unit-${index}-new-phone` });
      return;
    }
    if (result.status === 429) {
      unit.waitUntil = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
      unit.alert = () => waitAlert(unit.waitUntil, { buttonId: `unit-${index}-transfer-send`, onDone: () => { unit.alert = null; } });
    } else {
      unit.alert = () => alertBox('', h('p', null, errorText(error)));
    }
    ctx.redraw({ focus: `#unit-${index}-transfer-alert` });
  }

  async function cancel(serial, index) {
    const unit = of(serial);
    if (unit.sending) return;
    Object.assign(unit, { sending: true, alert: null });
    ctx.redraw();
    const result = await api(`${path(serial)}/cancel`, { method: 'POST', body: {}, token: token() });
    unit.sending = false;
    if (!ctx.alive()) return;
    if (result.ok) {
      unit.pending = null;
      ctx.redraw({ focus: `#unit-${index}-transfer` });
      announce(t('transfer.cancelled'));
      return;
    }
    if (result.status === 401) {
      expired(result);
      return;
    }
    unit.alert = () => alertBox('', h('p', null, errorText(result.error)));
    ctx.redraw();
  }

  function pendingView(unit, serial, index) {
    const text = t('transfer.pending', { phone: unit.pending.new_phone_masked || '', when: formatMoment(unit.pending.expires_at) });
    return h('div', { class: 'transfer' },
      alertBox('info', h('p', { id: `unit-${index}-transfer-pending`, tabindex: '-1' }, text)),
      h('div', { id: `unit-${index}-transfer-alert`, tabindex: '-1' }, unit.alert ? unit.alert() : null),
      h('button', {
        type: 'button', class: 'btn quiet block', id: `unit-${index}-transfer-cancel`,
        'aria-disabled': unit.sending ? 'true' : null, onclick: () => cancel(serial, index),
      }, unit.sending ? t('form.sending') : t('transfer.cancel')));
  }

  function formView(unit, serial, index) {
    const id = `unit-${index}-new-phone`;
    return h('form', { class: 'transfer', novalidate: true, 'aria-labelledby': `unit-${index}-transfer-title`, onsubmit: (e) => start(e, serial, index) },
      h('h3', { id: `unit-${index}-transfer-title` }, t('transfer.form_title')),
      h('p', { class: 'hint' }, t('transfer.form_intro')),
      field({
        id, label: t('transfer.new_phone'), hint: t('my.phone_hint'), error: unit.error ? unit.error() : null,
        control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'off' }),
      }),
      h('div', { id: `unit-${index}-transfer-alert`, tabindex: '-1' }, unit.alert ? unit.alert() : null),
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'btn', id: `unit-${index}-transfer-send`, 'aria-disabled': unit.sending ? 'true' : null, disabled: Date.now() < unit.waitUntil },
          unit.sending ? t('form.sending') : t('transfer.send')),
        h('button', { type: 'button', class: 'btn quiet', id: `unit-${index}-transfer-close`, onclick: () => open(serial, index, false) }, t('transfer.close'))));
  }

  /** The unit's part: its pending transfer, the form, or the button that opens it. */
  function view(unit, index) {
    if (unit.status !== 'activated') return null;
    const serial = unit.serial;
    const mine = of(serial);
    if (mine.pending) return pendingView(mine, serial, index);
    if (mine.open) return formView(mine, serial, index);
    return h('div', { class: 'transfer' },
      h('button', { type: 'button', class: 'btn quiet block', id: `unit-${index}-transfer`, onclick: () => open(serial, index, true) },
        t('transfer.start')));
  }

  return { load, reset, view };
}
