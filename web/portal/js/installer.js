// "I installed this product" on the QR landing page: the installer activates the warranty for
// the customer (POST /public/activations with the installation: channel ``partner``, the same
// single transaction as the customer's). A partner signed in on this device is the installer
// (their name and phone shown, locked; the request carries their session); anyone else types
// their name and phone, and the API's rules for a typed installer apply. Loaded by landing.js
// only when someone takes this path, with the partner texts' catalogue.
//
// ``installerPath({ctx, token, checker, onTaken, onGone})`` → {view, sendCode, done}:
// ``checker()`` is the landing page's phone-code step (brands that confirm phones),
// ``onTaken(error)`` / ``onGone(result)`` its answers to an activated or unknown unit.
import { api, checkPhone } from '/shared/js/api.js';
import { announce, h, icon } from '/shared/js/dom.js';
import { formatDate, maskPhone, t } from '/shared/js/i18n.js';
import { installationForm } from './installation_form.js';
import { forgetToken, partnerTextsMissing, readToken } from './partner_session.js';
import { alertBox, loadFailed, loading, localModel, settings, setTitle } from './shell.js';

/** ``+84912345678`` → ``0912 345 678``: the partner's phone as people write it. */
const national = (e164) => String(e164 || '').replace(/^\+84(\d{3})(\d{3})(\d+)$/, '0$1 $2 $3');

export function installerPath({ ctx, token, checker, onTaken, onGone }) {
  const state = {
    session: readToken(),
    partner: undefined, // undefined: asking; null: typed; {name, phone}: the signed-in partner's
    notice: null, // () => nodes above the form (why the installer is typed)
    done: null, // the 201 body and what was sent
    code: '', // the customer's phone code, when the brand confirms phones
    key: '', // the attempt's Idempotency-Key
  };
  const form = installationForm({ ctx, withSerial: false, submitLabel: () => t('install.submit'), onSend: send });

  async function whoAmI() {
    if (!state.session) {
      state.partner = null;
      return;
    }
    const result = await api('/partner/me', { token: state.session });
    if (!ctx.alive()) return;
    const me = result.ok ? result.data?.partner : null;
    if (me?.status === 'approved') {
      state.partner = { name: me.name, phone: national(me.phone) };
    } else {
      typed(result.status === 401 ? 'install.session_ended' : me ? 'install.not_approved' : 'install.session_unread');
    }
    ctx.redraw({ focus: '#install-title' });
  }
  whoAmI();

  /** No partner session to use: the installer types their name and phone; ``why`` says so. */
  function typed(why) {
    if (why === 'install.session_ended') forgetToken();
    state.session = why === 'install.session_ended' ? '' : state.session;
    state.partner = null;
    state.notice = () => alertBox('info', h('p', { id: 'install-notice' }, t(why)));
  }

  async function send(body, attempt) {
    const key = attempt || state.key;
    state.key = key;
    const request = { ...body, token };
    if (state.code) request.phone_code = state.code;
    if (settings.activation?.confirm_phone && !state.code) {
      form.busy(false);
      const phone = body.customer.phone;
      (await checker()).open(phone, checkPhone(phone).e164);
      return;
    }
    const bearer = state.partner ? state.session : '';
    const result = await api('/public/activations', { method: 'POST', body: request, token: bearer, headers: { 'Idempotency-Key': key } });
    state.code = '';
    if (!ctx.alive()) return;
    if (result.status === 201) {
      form.busy(false);
      state.done = { ...result.data, phone: body.customer.phone, partner: Boolean(state.partner) };
      ctx.redraw({ keep: false, focus: 'h1' });
      announce(t('install.done_title'));
      return;
    }
    const error = result.error || {};
    if (result.status === 401 && String(error.code).startsWith('partner_session')) {
      form.busy(false);
      typed('install.session_ended');
      ctx.redraw({ focus: '#install-notice' });
      return;
    }
    const check = await checker();
    if (check.active || String(error.code).startsWith('phone_code_')) {
      form.busy(false);
      if (check.handles(result, body.customer.phone, checkPhone(body.customer.phone).e164)) return;
    }
    if (error.code === 'already_activated') {
      form.busy(false);
      onTaken(error);
      return;
    }
    if (error.code === 'unit_not_found') {
      form.busy(false);
      onGone(result);
      return;
    }
    form.answer(result);
  }

  /** The customer's code (the landing page's phone step): the same activation, with it. */
  function sendCode(code) {
    state.code = code;
    const body = form.body;
    if (body) send(body, null);
  }

  function doneView() {
    const done = state.done;
    setTitle(t('install.done_title'));
    return [
      h('section', { class: 'verdict ok', 'aria-labelledby': 'done-title' },
        icon('ok'),
        h('div', null,
          h('h1', { id: 'done-title', tabindex: '-1' }, t('install.done_title')),
          h('p', { class: 'detail', id: 'activated-unit' }, t('install.done_unit', { serial: done.serial, model: localModel(done.model).name || '' })),
          h('p', { class: 'detail' }, t('done.activated_on', { date: formatDate(done.activated_at) })))),
      h('section', { class: 'card', 'aria-labelledby': 'next-title' },
        h('h2', { id: 'next-title' }, t('install.next_title')),
        h('ol', { class: 'steps', id: 'install-next' },
          h('li', null, t('install.next_customer', { phone: maskPhone(checkPhone(done.phone).e164) })),
          h('li', null, t(done.partner ? 'install.next_reward' : 'install.next_reward_typed')),
          h('li', null, h('a', { href: '/partner' }, t(done.partner ? 'install.to_partner_page' : 'install.become_partner'))))),
    ];
  }

  function view() {
    const waiting = partnerTextsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry).slice(1));
    if (waiting) return h('section', { class: 'card' }, waiting);
    if (state.partner === undefined) return h('section', { class: 'card' }, loading());
    const intro = state.partner ? t('install.intro_partner') : t('install.intro');
    return h('div', null,
      state.notice ? state.notice() : null,
      form.view({ installer: state.partner, withInstaller: true, title: t('install.title'), intro }));
  }

  return {
    view,
    sendCode,
    get done() { return state.done ? doneView() : null; },
  };
}
