// /q/<token>: what a customer sees after scanning the sticker. Genuine or not, the product,
// and (not yet activated) the one-minute activation form, then the confirmation.
import { api, attemptKeys, checkPhone, cleanText } from '/shared/js/api.js';
import { announce, h, icon, telHref } from '/shared/js/dom.js';
import { errorText, fieldText, formatDate, language, maskPhone, t } from '/shared/js/i18n.js';
import {
  alertBox,
  brandText,
  certificatePath,
  consentFields,
  CUSTOMER_RULES,
  field,
  loadFailed,
  localModel,
  nameField,
  placeFields,
  productCard,
  sectionOn,
  setBusy,
  settings,
  setTitle,
  showFieldError,
  skeleton,
  verdict,
  waitAlert,
} from './shell.js';

// API field paths → the form's controls
const FIELDS = {
  'customer.name': 'name',
  'customer.phone': 'phone',
  'customer.province': 'province',
  'customer.address': 'address',
  'consents.warranty_service': 'consent-service',
  'consents.marketing': 'consent-marketing',
};

// in the form's order: the first field in error gets the focus
const RULES = {
  name: CUSTOMER_RULES.name,
  phone: (v) => checkPhone(v).code || null,
  address: CUSTOMER_RULES.address,
};

export function landing(ctx) {
  const token = ctx.params[0];
  const state = {
    result: null, // the API's answer for the unit
    done: null, // the 201 body after activation
    notice: null, // () => nodes shown above the verdict (e.g. "already activated on …")
    alert: null, // () => nodes in the form's alert area
    errors: {}, // control id → message builder
    sending: false,
    payload: null,
    phone: '',
    waitUntil: 0, // after a 429: the submit button is held until then
    keyFor: attemptKeys(), // "Thử lại" of the same values is the same attempt (Idempotency-Key)
    check: null, // the phone's code step (phone_check.js), when the brand confirms phones
    code: '',
    installer: null, // "I installed this product" (installer.js), once someone takes that path
    installing: false, // that path is shown instead of the customer's form
  };

  function load(first) {
    state.result = null;
    (first && ctx.early ? ctx.early : api(`/public/units/${encodeURIComponent(token)}`)).then((result) => {
      if (!ctx.alive()) return;
      state.result = result;
      ctx.redraw({ focus: first ? null : 'h1' });
    });
  }
  load(true);

  // ------------------------------------------------------------ the form

  function form() {
    // drawn again while sending (the brand's settings came): still busy
    const submit = h('button', { type: 'submit', class: 'btn block', id: 'activate-submit', disabled: state.sending || Date.now() < state.waitUntil },
      state.sending ? t('form.sending') : t('activate.submit'));
    const el = h('form', { novalidate: true, 'aria-labelledby': 'activate-title', onsubmit: onSubmit, id: 'activate-form' },
      h('div', null,
        h('h2', { id: 'activate-title' }, t('activate.title')),
        h('p', { class: 'hint' }, t('activate.intro'))),
      nameField(),
      field({
        id: 'phone', label: t('activate.phone'), hint: t('activate.phone_hint'),
        control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true }),
      }),
      placeFields(),
      consentFields(),
      h('div', { id: 'activate-alert' }, state.alert ? state.alert() : null),
      submit);
    for (const control of el.querySelectorAll('input[type=text], input[type=tel]')) {
      control.addEventListener('blur', () => {
        if (control.value || control.getAttribute('aria-invalid')) check(control);
      });
      control.addEventListener('input', () => {
        if (control.getAttribute('aria-invalid')) check(control);
      });
    }
    el.querySelector('#consent-service').addEventListener('change', (e) => {
      if (e.target.checked) setError(e.target, null);
    });
    // errors found earlier (kept across a language switch)
    queueMicrotask(() => {
      for (const [id, message] of Object.entries(state.errors)) {
        const control = el.querySelector(`#${id}`);
        if (control) showFieldError(control, message());
      }
    });
    return h('section', { class: 'card' }, el);
  }

  function setError(control, message) {
    if (message) state.errors[control.id] = message;
    else delete state.errors[control.id];
    showFieldError(control, message ? message() : null);
  }

  function check(control) {
    const code = RULES[control.id]?.(control.value);
    setError(control, code ? () => fieldText(code) : null);
    return !code;
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const el = event.currentTarget;
    const invalid = [];
    for (const id of Object.keys(RULES)) {
      if (!check(el.querySelector(`#${id}`))) invalid.push(id);
    }
    const service = el.querySelector('#consent-service');
    if (!service.checked) {
      setError(service, () => t('error.consent_required'));
      invalid.push('consent-service');
    } else setError(service, null);
    if (invalid.length) {
      showAlert(() => h('p', null, t('form.fix', { n: invalid.length })));
      el.querySelector(`#${invalid[0]}`).focus();
      return;
    }
    const value = (id) => el.querySelector(`#${id}`).value;
    state.phone = checkPhone(value('phone')).e164 || '';
    state.payload = {
      token,
      customer: {
        name: cleanText(value('name')),
        phone: value('phone').trim(),
        province: value('province'),
        address: cleanText(value('address')),
      },
      consents: { warranty_service: true, marketing: el.querySelector('#consent-marketing').checked },
      language: language(),
    };
    state.code = '';
    if (settings.activation?.confirm_phone) checker().then((check) => check.open(value('phone').trim(), state.phone));
    else send();
  }

  /** The phone's code step, loaded on first need. */
  async function checker() {
    const { phoneCheck } = await import('./phone_check.js');
    const onCode = (code) => {
      if (state.installing) state.installer.sendCode(code);
      else {
        state.code = code;
        send();
      }
    };
    state.check ||= phoneCheck({ token, ctx, onCode });
    return state.check;
  }

  function showAlert(build, kind = '') {
    setAlert(build ? () => alertBox(kind, build()) : null);
  }

  /** The form's alert area: ``build`` gives the whole alert (kept to draw it again). */
  function setAlert(build) {
    state.alert = build;
    document.getElementById('activate-alert')?.replaceChildren(...(state.alert ? [state.alert()] : []));
  }

  async function send() {
    const button = document.getElementById('activate-submit');
    state.sending = true;
    showAlert(null);
    setBusy(button, true, t('activate.submit'));
    const headers = { 'Idempotency-Key': state.keyFor(state.payload) };
    const body = state.code ? { ...state.payload, phone_code: state.code } : state.payload;
    const result = await api('/public/activations', { method: 'POST', body, headers });
    state.sending = false;
    if (!ctx.alive()) return;
    if (result.status === 201) {
      state.done = result.data;
      state.alert = null;
      ctx.redraw({ keep: false, focus: 'h1' });
      announce(t('done.title'));
      return;
    }
    const live = document.getElementById('activate-submit') || button; // the page may have been drawn again
    setBusy(live, false, t('activate.submit'));
    if (state.check?.active || String(result.error?.code).startsWith('phone_code_')) {
      if ((await checker()).handles(result, state.payload.customer.phone, state.phone)) return;
    }
    answer(result, document.getElementById('activate-submit') || live);
  }

  /** A clear answer for every refusal the API gives. */
  function answer(result, button) {
    const error = result.error || {};
    if (error.code === 'already_activated') {
      const when = error.activated_at;
      state.notice = () => alertBox('info', h('p', null, t('activate.already', { date: formatDate(when) })));
      load(false);
      return;
    }
    if (error.code === 'unit_not_found') {
      state.result = result;
      ctx.redraw({ keep: false, focus: 'h1' });
      return;
    }
    if (error.code === 'consent_required') {
      const service = document.getElementById('consent-service');
      setError(service, () => t('error.consent_required'));
      showAlert(() => h('p', null, errorText(error)));
      service.focus();
      return;
    }
    if (result.status === 400 && Array.isArray(error.fields) && error.fields.length) {
      let first = null;
      for (const item of error.fields) {
        const control = document.getElementById(FIELDS[item.field] || '');
        if (!control) continue;
        setError(control, () => fieldText(item.code, item.message));
        first ||= control;
      }
      showAlert(() => h('p', null, errorText(error)));
      (first || button).focus();
      return;
    }
    if (result.status === 429) {
      state.waitUntil = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
      const onDone = () => { state.alert = null; };
      setAlert(() => waitAlert(state.waitUntil, { buttonId: 'activate-submit', onDone }));
      return;
    }
    if (result.network || result.status >= 500) {
      showAlert(() => [
        h('p', null, result.network ? t('error.network') : errorText(error)),
        h('button', { type: 'button', class: 'btn', id: 'activate-retry', onclick: send }, t('action.retry')),
      ]);
      document.getElementById('activate-retry')?.focus();
      return;
    }
    // unit_not_activatable, activation_deadline_passed and anything new: the API's words
    const hotline = settings.brand.hotline;
    showAlert(() => [
      h('p', null, errorText(error)),
      hotline ? h('p', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null,
    ]);
  }

  // ------------------------------------------------------------ "I installed this product"

  /** The installer's path instead of the customer's form (its module loaded on first use). */
  async function installPath(on) {
    if (on && !state.installer) {
      let module;
      try {
        module = await import('./installer.js');
      } catch {
        showAlert(() => h('p', null, t('error.network')));
        return;
      }
      if (!ctx.alive()) return;
      state.installer = module.installerPath({
        ctx,
        token,
        checker,
        onTaken: (error) => answer({ status: 409, error }, null),
        onGone: (result) => answer(result, null),
      });
    }
    state.installing = on;
    ctx.redraw({ keep: false, focus: on ? '#install-title' : '#activate-title' });
  }

  /** The choice between the two paths, above the form. */
  function pathSwitch() {
    return h('p', { class: 'path-switch' },
      state.installing ? t('install.are_you_customer') : t('install.are_you_installer'), ' ',
      h('button', { type: 'button', class: 'linkbtn', id: state.installing ? 'path-customer' : 'path-installer', onclick: () => installPath(!state.installing) },
        state.installing ? t('install.customer_path') : t('install.installer_path')));
  }

  // ------------------------------------------------------------ views

  function confirmation() {
    const done = state.done;
    const path = certificatePath(done.certificate_url) || `/c/${token}`;
    setTitle(t('done.title'));
    const hotline = settings.brand.hotline;
    return [
      h('section', { class: 'verdict ok', 'aria-labelledby': 'done-title' },
        icon('ok'),
        h('div', null,
          h('h1', { id: 'done-title', tabindex: '-1' }, t('done.title')),
          h('p', { class: 'detail' }, t('done.thanks', { model: localModel(done.model).name || '', serial: done.serial })))),
      h('section', { class: 'card' },
        h('p', { class: 'label' }, t('done.until')),
        h('p', { class: 'big', id: 'warranty-end' }, formatDate(done.warranty_end)),
        h('p', { class: 'hint' }, t('done.activated_on', { date: formatDate(done.activated_at) }),
          done.warranty_basis ? [' ', t(`basis.${done.warranty_basis}`)] : null),
        h('a', { class: 'btn block', href: path, id: 'certificate-link' }, t('done.certificate'))),
      h('section', { class: 'card', 'aria-labelledby': 'next-title' },
        h('h2', { id: 'next-title' }, t('done.next')),
        h('ol', { class: 'steps' },
          h('li', null, t('done.message', { phone: maskPhone(state.phone) })),
          h('li', null, t('done.keep')),
          h('li', null, t('done.later'), hotline ? [' ', t('done.hotline'), ' ', h('a', { href: telHref(hotline) }, hotline)] : null))),
      h('section', { class: 'card', 'aria-labelledby': 'home-title' },
        h('h2', { id: 'home-title' }, t('home_screen.title')),
        h('p', null, t('home_screen.how'))),
    ];
  }

  function invalid() {
    setTitle(t('invalid.title'));
    const hotline = settings.brand.hotline;
    return [
      h('section', { class: 'verdict bad', 'aria-labelledby': 'verdict-title' },
        icon('bad'),
        h('div', null,
          h('h1', { id: 'verdict-title', tabindex: '-1' }, t('invalid.title')),
          h('p', { class: 'detail' }, brandText('invalid.why')))),
      h('section', { class: 'card' },
        h('h2', null, t('invalid.what')),
        h('ul', { class: 'steps' },
          h('li', null, t('invalid.rescan')),
          sectionOn('lookup') ? h('li', null, h('a', { href: '/lookup' }, t('invalid.serial'))) : null,
          hotline ? h('li', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null)),
    ];
  }

  /** "Request service" for this unit: the sticker's token proves the customer holds it. */
  function serviceLink(quiet) {
    return h('section', { class: quiet ? null : 'card' },
      quiet ? null : h('p', null, t('landing.service_intro')),
      h('a', { class: `btn block${quiet ? ' quiet' : ''}`, href: `/s/${token}`, id: 'service-link' }, t('landing.service')));
  }

  function certificateLink() {
    return h('section', { class: 'card' },
      h('p', null, t('landing.certificate_intro')),
      h('a', { class: 'btn block', href: `/c/${token}`, id: 'certificate-link' }, t('done.certificate')));
  }

  return function draw() {
    if (state.done) return confirmation();
    const installed = state.installing ? state.installer?.done : null;
    if (installed) return installed;
    const result = state.result;
    if (!result) {
      setTitle(t('landing.checking'));
      return [h('h1', { class: 'sr-only', tabindex: '-1' }, t('landing.checking')), skeleton(t('landing.checking'))];
    }
    if (result.status === 404 || result.status === 400) return invalid();
    if (!result.ok) {
      setTitle(t('error.title'));
      return loadFailed(result, () => { load(false); ctx.redraw(); });
    }
    const unit = result.data;
    setTitle(localModel(unit.model).name || t('verdict.genuine'));
    const notice = state.notice ? state.notice() : null;
    if (unit.status !== 'not_activated') return [notice, verdict(unit), serviceLink(false), productCard(unit), certificateLink()];
    // the form first, within the first screen of a phone; the product's details after it
    let action = h('section', { class: 'card' }, h('p', null, t('activate.closed')));
    if (sectionOn('activate')) action = state.installing ? state.installer.view() : form();
    if (state.check?.active) action = [Object.assign(action, { hidden: true }), state.check.view()];
    else if (sectionOn('activate')) action = [pathSwitch(), action];
    const next = sectionOn('activate') ? t('verdict.not_activated') : null;
    return [notice, verdict(unit, { next }), action, productCard(unit), serviceLink(true)];
  };
}
