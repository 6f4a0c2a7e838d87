// /partner: the installer partners' page. A visitor signs up (phone → code → details → the
// application is pending review) or signs in (phone → code); a signed-in partner sees their
// details and status. The partner API is /partner/… with a session token (docs/api.md).
import { api, checkPhone, checkText } from '/shared/js/api.js';
import { announce, h, telHref } from '/shared/js/dom.js';
import { addWords, errorText, fieldText, formatDate, has, language, maskPhone, t } from '/shared/js/i18n.js';
import {
  alertBox,
  brandText,
  field,
  loadFailed,
  loading,
  setBusy,
  settings,
  setTitle,
  showFieldError,
  waitAlert,
} from './shell.js';
import { partnerCases } from './partner_cases.js';

// The partner's session token lives in localStorage, not sessionStorage like a customer's
// look-up token: a technician opens this page on their own phone many times a week and must
// not type a code every day (the session lasts 90 days from its last day of use, and is ended
// by the server at once when the partner is suspended or rejected). It is a bearer token of
// the partner's own data only; "Sign out" deletes it here and on the server.
const SESSION_KEY = 'garanti.partner';

function readToken() {
  try {
    const saved = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null');
    if (saved && typeof saved.token === 'string' && saved.token) return saved.token;
  } catch {
    // unreadable: sign in again
  }
  return '';
}

function keepToken(token) {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ token }));
  } catch {
    // storage disabled: signed in for this page only
  }
}

function forgetToken() {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}

// The partner page's texts are a catalogue of their own (/i18n/partner/<lang>.json): the
// landing page a customer opens from a QR code does not download them. They are added to the
// language's texts after each language switch (which replaces the texts).
const texts = {};

function partnerTexts(code) {
  texts[code] ||= fetch(`/i18n/partner/${code}.json`).then((r) => {
    if (!r.ok) throw new Error(`partner catalogue ${code}: ${r.status}`);
    return r.json();
  }).catch((error) => {
    delete texts[code];
    throw error;
  });
  return texts[code];
}

// API field names → the details form's controls (the same ids)
const DETAIL_FIELDS = ['name', 'citizen_id', 'province', 'bank_bin', 'account_number', 'account_holder', 'tax_code', 'consent'];
const CODE_ERRORS = ['otp_wrong_code', 'otp_expired', 'otp_invalid', 'otp_attempts_exhausted'];
const STATUS_KIND = { pending: 'warn', approved: 'ok', suspended: 'bad', rejected: 'bad' };

/** As a bank prints a holder's name: upper case, no Vietnamese marks (Đ → D). */
export function bankPrinted(name) {
  return String(name || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D').toUpperCase().replace(/\s+/g, ' ').trimStart();
}

const fold = (text) => bankPrinted(text).toLowerCase();

/** The details form's own checks, mirroring the API's (it checks again). */
const RULES = {
  name: (v) => checkText(v, { max: 100, prefix: 'name', required: true }),
  citizen_id: (v) => (/^(\d{9}|\d{12})$/.test(v.replace(/\s+/g, '')) ? null : 'citizen_id_invalid'),
  province: (v) => (v ? null : 'province_invalid'),
  bank_bin: (v) => (v ? null : 'bank_bin_invalid'),
  account_number: (v) => (/^\d{6,19}$/.test(v.replace(/[\s.-]+/g, '')) ? null : 'account_number_invalid'),
  account_holder: (v) => {
    const printed = bankPrinted(v).trim();
    if (!printed) return 'account_holder_required';
    if (printed.length > 50) return 'account_holder_too_long';
    return /^[A-Z ]+$/.test(printed) ? null : 'account_holder_invalid';
  },
  tax_code: (v) => (!v.trim() || /^(\d{10}|\d{10}-\d{3})$/.test(v.trim()) ? null : 'tax_code_invalid'),
};

export function partner(ctx) {
  const state = {
    mode: '', // '' (choose), 'signup' or 'signin'
    step: 'start', // start → phone → code → (signup: details) → me
    phone: '',
    masked: '',
    code: '',
    resendAt: 0,
    waitUntil: 0,
    sending: false,
    alert: null, // () => nodes in the form's alert area
    errors: {}, // control id → () => message
    details: { name: '', citizen_id: '', province: '', bank_bin: '', account_number: '', account_holder: '', tax_code: '', consent: false },
    bankFilter: '',
    lists: null, // {banks, cities, provinces} for the details form
    listsFailed: null,
    token: readToken(),
    me: null,
    meFailed: null,
    welcome: false, // just signed up
  };
  if (state.token) {
    state.step = 'me';
    loadMe();
  }
  const timer = setInterval(tick, 1000);
  ctx.onLeave(() => clearInterval(timer));
  let cases = null; // the "Cases" section (js/partner_cases.js), made once signed in and approved

  function tick() {
    const button = document.getElementById('resend');
    if (!button) return;
    const left = Math.ceil((state.resendAt - Date.now()) / 1000);
    const waiting = left > 0;
    button.disabled = waiting || state.sending;
    button.textContent = waiting ? t('my.resend_in', { n: left }) : t('my.resend');
  }

  function setAlert(build) {
    state.alert = build;
    document.getElementById('partner-alert')?.replaceChildren(...(state.alert ? [state.alert()].flat() : []));
  }

  function showAlert(build, kind = '') {
    setAlert(build ? () => alertBox(kind, build()) : null);
  }

  function setError(id, message) {
    if (message) state.errors[id] = message;
    else delete state.errors[id];
    const control = document.getElementById(id);
    if (control) showFieldError(control, message ? message() : null);
  }

  function go(step, focus = 'h1') {
    state.step = step;
    ctx.redraw({ keep: false, focus });
  }

  function start(mode) {
    Object.assign(state, { mode, alert: null, errors: {}, code: '' });
    go('phone', '#phone');
  }

  function tooMany(result, buttonId) {
    const until = result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
    if (buttonId === 'partner-submit') state.waitUntil = until;
    else if (until) state.resendAt = Math.max(state.resendAt, until);
    setAlert(() => waitAlert(until, { buttonId, onDone: () => { state.alert = null; } }));
    tick();
  }

  // ------------------------------------------------------------ the code by SMS/Zalo

  async function requestCode() {
    const fromPhone = state.step === 'phone';
    const button = document.getElementById(fromPhone ? 'partner-submit' : 'resend');
    state.sending = true;
    showAlert(null);
    if (button) setBusy(button, true, t('my.send'));
    const result = await api('/partner/codes', { method: 'POST', body: { phone: state.phone, language: language() } });
    state.sending = false;
    if (!ctx.alive()) return;
    const live = document.getElementById('partner-submit');
    if (live && fromPhone) setBusy(live, false, t('my.send'));
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
    if (!fromPhone) tick();
    const phoneField = result.status === 400 && Array.isArray(error.fields) ? error.fields.find((f) => f.field === 'phone') : null;
    if (phoneField && fromPhone) {
      setError('phone', () => fieldText(phoneField.code, phoneField.message));
      document.getElementById('phone')?.focus();
      return;
    }
    if (result.status === 429) {
      tooMany(result, fromPhone ? 'partner-submit' : null);
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

  /** A refused code (sign-in or sign-up): the reason on the code field, attempts left. */
  function codeRefused(error) {
    state.code = '';
    if (error.code === 'otp_wrong_code') {
      const left = Number(error.attempts_left);
      if (!(left > 0)) state.resendAt = Math.min(state.resendAt, Date.now());
      state.errors.code = () => (left > 0 ? t('error.otp_wrong_code', { attempts_left: left }) : t('error.otp_attempts_exhausted'));
    } else {
      state.resendAt = Math.min(state.resendAt, Date.now());
      state.errors.code = () => errorText(error);
    }
    state.alert = null;
    go('code', '#code');
  }

  function onCode(event) {
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
    state.code = code;
    if (state.mode === 'signup') {
      state.alert = null;
      loadLists();
      go('details', 'h1');
      return;
    }
    signIn(code);
  }

  async function signIn(code) {
    const button = document.getElementById('partner-submit');
    state.sending = true;
    showAlert(null);
    if (button) setBusy(button, true, t('partner.sign_in_submit'));
    const result = await api('/partner/sessions', { method: 'POST', body: { phone: state.phone, code } });
    state.sending = false;
    if (!ctx.alive()) return;
    const live = document.getElementById('partner-submit');
    if (live) setBusy(live, false, t('partner.sign_in_submit'));
    const error = result.error || {};
    if (result.ok && result.data?.session?.token) {
      signedIn(result.data, false);
      return;
    }
    if (result.status === 429) {
      tooMany(result, 'partner-submit');
      return;
    }
    if (CODE_ERRORS.includes(error.code)) {
      codeRefused(error);
      return;
    }
    if (error.code === 'partner_not_found') {
      showAlert(() => [h('p', null, errorText(error)),
        h('button', { type: 'button', class: 'btn', onclick: () => start('signup') }, t('partner.sign_up'))], 'info');
      return;
    }
    if (error.code === 'partner_rejected' || error.code === 'partner_suspended') {
      showAlert(() => [h('p', null, errorText(error)), hotlineLine()]);
      return;
    }
    showAlert(() => [h('p', null, errorText(error)),
      result.network || result.status >= 500 ? h('button', { type: 'button', class: 'btn', onclick: () => signIn(code) }, t('action.retry')) : null]);
  }

  function signedIn(data, welcome) {
    state.token = data.session.token;
    keepToken(state.token);
    Object.assign(state, { me: data.partner || null, meFailed: null, welcome, alert: null, errors: {}, code: '', phone: '' });
    go('me', 'h1');
    if (!state.me) loadMe();
  }

  // ------------------------------------------------------------ sign-up details

  async function loadLists() {
    if (state.lists) return;
    state.listsFailed = null;
    const [banks, provinces] = await Promise.all([api('/partner/banks'), api('/partner/provinces')]);
    if (!ctx.alive()) return;
    if (banks.ok && provinces.ok) {
      state.lists = {
        banks: Array.isArray(banks.data?.banks) ? banks.data.banks : [],
        cities: Array.isArray(provinces.data?.cities) ? provinces.data.cities : [],
        provinces: Array.isArray(provinces.data?.provinces) ? provinces.data.provinces : [],
      };
    } else {
      state.listsFailed = banks.ok ? provinces : banks;
    }
    if (state.step === 'details') ctx.redraw();
  }

  function readDetails(form) {
    for (const name of DETAIL_FIELDS) {
      const control = form.querySelector(`#${name}`);
      if (control) state.details[name] = control.type === 'checkbox' ? control.checked : control.value;
    }
  }

  function checkField(control) {
    const rule = RULES[control.id];
    if (!rule) return null;
    const code = rule(control.value);
    setError(control.id, code ? () => fieldText(code) : null);
    return code;
  }

  async function onDetails(event) {
    event.preventDefault();
    if (state.sending) return;
    const form = event.currentTarget;
    readDetails(form);
    let first = null;
    for (const name of Object.keys(RULES)) {
      const control = form.querySelector(`#${name}`);
      if (control && checkField(control) && !first) first = control;
    }
    const consent = form.querySelector('#consent');
    if (!consent.checked) {
      setError('consent', () => fieldText('partner_consent_required'));
      first ||= consent;
    } else setError('consent', null);
    if (first) {
      first.focus();
      return;
    }
    const d = state.details;
    const body = {
      phone: state.phone, code: state.code, name: d.name.trim(), citizen_id: d.citizen_id.replace(/\s+/g, ''),
      province: d.province, bank_bin: d.bank_bin, account_number: d.account_number.trim(),
      account_holder: bankPrinted(d.account_holder).trim(), consent: true, language: language(),
    };
    if (d.tax_code.trim()) body.tax_code = d.tax_code.trim();
    const button = document.getElementById('partner-submit');
    state.sending = true;
    showAlert(null);
    setBusy(button, true, t('partner.signup_submit'));
    const result = await api('/partner/signup', { method: 'POST', body });
    state.sending = false;
    if (!ctx.alive()) return;
    const live = document.getElementById('partner-submit');
    if (live) setBusy(live, false, t('partner.signup_submit'));
    const error = result.error || {};
    if (result.ok && result.data?.session?.token) {
      signedIn(result.data, true);
      return;
    }
    if (CODE_ERRORS.includes(error.code)) {
      codeRefused(error);
      return;
    }
    if (result.status === 429) {
      tooMany(result, 'partner-submit');
      return;
    }
    if (result.status === 400 && Array.isArray(error.fields) && error.fields.length) {
      let focus = null;
      for (const f of error.fields) {
        if (f.field === 'code') {
          codeRefused({ code: 'otp_invalid' });
          return;
        }
        const id = DETAIL_FIELDS.includes(f.field) ? f.field : null;
        if (!id) continue;
        setError(id, () => fieldText(f.code, f.message));
        focus ||= document.getElementById(id);
      }
      if (focus) {
        focus.focus();
        return;
      }
    }
    if (error.code === 'partner_exists') {
      showAlert(() => [h('p', null, errorText(error)),
        h('button', { type: 'button', class: 'btn', onclick: () => start('signin') }, t('partner.sign_in'))], 'info');
      return;
    }
    showAlert(() => [h('p', null, errorText(error)),
      result.network || result.status >= 500 ? h('button', { type: 'button', class: 'btn', onclick: () => document.getElementById('partner-submit')?.click() }, t('action.retry')) : null]);
  }

  /** The bank select, narrowed to the banks whose short or full name holds the search. */
  function bankOptions() {
    const wanted = fold(state.bankFilter.trim());
    const banks = (state.lists?.banks || []).filter((b) => !wanted
      || fold(b.short_name).includes(wanted) || fold(b.name).includes(wanted) || b.bin === state.details.bank_bin);
    return [h('option', { value: '' }, t(banks.length ? 'partner.bank_choose' : 'partner.bank_none_found')),
      banks.map((b) => h('option', { value: b.bin, selected: b.bin === state.details.bank_bin }, `${b.short_name} – ${b.name}`))];
  }

  function onBankSearch(event) {
    state.bankFilter = event.target.value;
    const select = document.getElementById('bank_bin');
    const wanted = fold(state.bankFilter.trim());
    const matches = (state.lists?.banks || []).filter((b) => wanted && (fold(b.short_name).includes(wanted) || fold(b.name).includes(wanted)));
    const exact = matches.find((b) => fold(b.short_name) === wanted);
    if (exact || matches.length === 1) state.details.bank_bin = (exact || matches[0]).bin;
    select.replaceChildren(...bankOptions().flat());
    select.value = state.details.bank_bin;
  }

  function detailsForm() {
    if (state.listsFailed) return loadFailed(state.listsFailed, () => { state.listsFailed = null; loadLists(); ctx.redraw(); }).slice(1);
    if (!state.lists) return loading();
    const d = state.details;
    const text = (id, attrs = {}) => h('input', { type: 'text', value: d[id], ...attrs });
    const holder = text('account_holder', { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
    const printed = h('span', { class: 'mono', id: 'holder-printed' }, bankPrinted(d.account_holder) || '—');
    holder.addEventListener('input', () => { printed.textContent = bankPrinted(holder.value) || '—'; });
    const province = h('select', { autocomplete: 'address-level1' },
      h('option', { value: '' }, t('partner.province_choose')),
      h('optgroup', { label: t('activate.cities') }, state.lists.cities.map((p) => h('option', { value: p, selected: p === d.province }, p))),
      h('optgroup', { label: t('activate.provinces') }, state.lists.provinces.map((p) => h('option', { value: p, selected: p === d.province }, p))));
    const bank = h('select', null, bankOptions());
    bank.addEventListener('change', () => { state.details.bank_bin = bank.value; });
    const form = h('form', { novalidate: true, onsubmit: onDetails, 'aria-labelledby': 'details-title', id: 'details-form' },
      h('h2', { id: 'details-title' }, t('partner.details_title')),
      field({ id: 'name', label: t('partner.name'), control: text('name', { autocomplete: 'name', autocapitalize: 'words' }) }),
      field({ id: 'citizen_id', label: t('partner.citizen_id'), hint: t('partner.citizen_id_hint'), control: text('citizen_id', { inputmode: 'numeric', autocomplete: 'off' }) }),
      field({ id: 'province', label: t('partner.province'), control: province }),
      field({ id: 'bank_search', label: t('partner.bank_search'), hint: t('partner.bank_search_hint'),
        control: h('input', { type: 'search', value: state.bankFilter, autocomplete: 'off', oninput: onBankSearch }) }),
      field({ id: 'bank_bin', label: t('partner.bank'), control: bank }),
      field({ id: 'account_number', label: t('partner.account_number'), control: text('account_number', { inputmode: 'numeric', autocomplete: 'off' }) }),
      field({ id: 'account_holder', label: t('partner.account_holder'), hint: t('partner.account_holder_hint'), control: holder }),
      h('p', { class: 'hint' }, t('partner.holder_printed'), ' ', printed),
      field({ id: 'tax_code', label: t('partner.tax_code'), hint: t('partner.tax_code_hint'), optional: true, control: text('tax_code', { inputmode: 'numeric', autocomplete: 'off' }) }),
      h('fieldset', null,
        h('legend', null, t('partner.consent_legend')),
        h('p', { class: 'notice', id: 'consent-notice' }, brandText('partner.consent_notice')),
        h('div', null,
          h('div', { class: 'check' },
            h('input', { type: 'checkbox', id: 'consent', name: 'consent', checked: d.consent, required: true, 'aria-describedby': 'consent-notice' }),
            h('label', { for: 'consent' }, brandText('partner.consent'), ' ', h('span', { class: 'opt' }, `(${t('form.required')})`))),
          h('p', { class: 'err', id: 'consent-err', hidden: true }))),
      h('div', { id: 'partner-alert' }, state.alert ? state.alert() : null),
      h('button', { type: 'submit', class: 'btn block', id: 'partner-submit', disabled: state.sending || Date.now() < state.waitUntil },
        state.sending ? t('form.sending') : t('partner.signup_submit')));
    for (const control of form.querySelectorAll('input[type=text], select')) {
      const keep = () => { state.details[control.id] = control.value; };
      control.addEventListener('input', keep);
      control.addEventListener('change', keep);
      control.addEventListener('blur', () => { if (control.value || control.getAttribute('aria-invalid')) checkField(control); });
    }
    form.querySelector('#consent').addEventListener('change', (e) => {
      state.details.consent = e.target.checked;
      if (e.target.checked) setError('consent', null);
    });
    return h('section', { class: 'card' }, form);
  }

  // ------------------------------------------------------------ the signed-in page

  async function loadMe() {
    state.meFailed = null;
    const result = await api('/partner/me', { token: state.token });
    if (!ctx.alive()) return;
    if (result.ok && result.data?.partner) {
      state.me = result.data.partner;
      ctx.redraw();
      return;
    }
    if (result.status === 401) {
      sessionEnded(result.error);
      return;
    }
    state.meFailed = result;
    ctx.redraw();
  }

  /** A 401 ``partner_session_*``: the token is no good any more; sign in again, told why. */
  function sessionEnded(error) {
    forgetToken();
    Object.assign(state, { token: '', me: null, mode: 'signin', errors: {}, code: '' });
    state.alert = () => alertBox('info', h('p', null, errorText(error)));
    go('phone', '#phone');
  }

  async function signOut() {
    const token = state.token;
    forgetToken();
    cases = null;
    Object.assign(state, { token: '', me: null, welcome: false, mode: '', alert: null, errors: {}, phone: '', masked: '' });
    go('start', 'h1');
    announce(t('partner.signed_out'));
    if (token) await api('/partner/sessions/current', { method: 'DELETE', token }); // best effort: the token is gone here
  }

  function hotlineLine() {
    const hotline = settings.brand.hotline;
    return h('p', null, hotline
      ? [t('partner.call_hotline'), ' ', h('a', { href: telHref(hotline) }, hotline)]
      : h('a', { href: '/contact' }, t('partner.contact_brand')));
  }

  function casesSection() {
    cases ||= partnerCases({ token: () => state.token, onEnded: (error) => { cases = null; sessionEnded(error); } });
    cases.draw();
    return cases.element;
  }

  function mePage() {
    if (state.meFailed) return loadFailed(state.meFailed, () => { state.meFailed = null; loadMe(); ctx.redraw(); }).slice(1);
    const me = state.me;
    if (!me) return loading();
    const row = (label, value, id) => (value ? [h('dt', null, label), h('dd', id ? { id } : null, value)] : null);
    const status = me.status in STATUS_KIND ? me.status : 'pending';
    const bank = me.bank || {};
    return [
      state.welcome ? h('div', { class: 'spaced' }, alertBox('ok', h('p', { id: 'welcome' }, h('strong', null, t('partner.signed_up'))))) : null,
      h('section', { class: 'card', 'aria-labelledby': 'me-name' },
        h('h2', { id: 'me-name' }, me.name || ''),
        h('p', null, h('span', { class: `badge ${STATUS_KIND[status]}`, id: 'me-status' }, t(`partner.status.${status}`))),
        h('p', { id: 'me-explain' }, t(`partner.explain.${status}`)),
        status === 'suspended' || status === 'rejected' ? hotlineLine() : null,
        h('dl', { class: 'specs' },
          row(t('partner.phone'), maskPhone(me.phone)),
          row(t('partner.province_short'), me.province),
          row(t('partner.citizen_id'), me.citizen_id, 'me-citizen'),
          row(t('partner.bank'), bank.short_name || bank.name),
          row(t('partner.account_number'), me.account_number, 'me-account'),
          row(t('partner.account_holder'), me.account_holder),
          row(t('partner.tax_code'), me.tax_code),
          row(t('partner.since'), formatDate(me.created_at)))),
      // The activation history and the rewards go here (issue 13's later slice): nothing is
      // shown until the API has them; no sample figures.
      h('section', { class: 'card', 'aria-labelledby': 'later-title', id: 'partner-later' },
        h('h2', { id: 'later-title' }, t('partner.later_title')),
        h('p', { class: 'hint' }, t('partner.later'))),
      status === 'approved' ? casesSection() : null,
      h('button', { type: 'button', class: 'btn quiet', id: 'sign-out', onclick: signOut }, t('partner.sign_out')),
    ];
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

  function submitButton(label) {
    return h('button', { type: 'submit', class: 'btn block', id: 'partner-submit', disabled: state.sending || Date.now() < state.waitUntil },
      state.sending ? t('form.sending') : label);
  }

  function back() {
    return h('button', { type: 'button', class: 'linkbtn', id: 'partner-back', onclick: () => { state.alert = null; state.errors = {}; go('start', 'h1'); } },
      t('partner.back'));
  }

  function title() {
    if (state.step === 'me') return t('partner.me_title');
    if (state.mode === 'signup') return t('partner.sign_up');
    if (state.mode === 'signin') return t('partner.sign_in');
    return t('partner.title');
  }

  let textsFailed = false;
  function loadTexts() {
    const code = language();
    textsFailed = false;
    partnerTexts(code).then((catalogue) => {
      if (language() === code) addWords(catalogue);
    }, () => { textsFailed = true; }).finally(() => ctx.redraw());
  }

  return function draw() {
    if (!has('partner.title')) {
      // the language's texts came without the page's (first visit, or a language switch)
      if (textsFailed) return loadFailed({ network: true, error: { code: 'network' } }, loadTexts);
      queueMicrotask(loadTexts);
      return loading();
    }
    setTitle(title());
    const heading = h('h1', { tabindex: '-1' }, title());
    const alert = h('div', { id: 'partner-alert' }, state.alert ? state.alert() : null);
    restoreErrors();
    if (state.step === 'me') return [heading, mePage()];
    if (state.step === 'start') {
      return [heading, h('p', null, brandText('partner.intro')),
        h('div', { id: 'partner-alert' }, state.alert ? state.alert() : null),
        h('section', { class: 'card', 'aria-labelledby': 'new-title' },
          h('h2', { id: 'new-title' }, t('partner.new_title')),
          h('p', null, t('partner.new_text')),
          h('button', { type: 'button', class: 'btn block', id: 'start-signup', onclick: () => start('signup') }, t('partner.sign_up'))),
        h('section', { class: 'card', 'aria-labelledby': 'back-title' },
          h('h2', { id: 'back-title' }, t('partner.back_title')),
          h('p', null, t('partner.back_text')),
          h('button', { type: 'button', class: 'btn quiet block', id: 'start-signin', onclick: () => start('signin') }, t('partner.sign_in')))];
    }
    if (state.step === 'phone') {
      return [heading, h('p', null, t(state.mode === 'signup' ? 'partner.phone_intro_signup' : 'partner.phone_intro_signin')),
        h('section', { class: 'card' },
          h('form', { novalidate: true, onsubmit: onPhone, 'aria-labelledby': 'phone-title' },
            h('h2', { id: 'phone-title', class: 'sr-only' }, t('partner.phone')),
            field({ id: 'phone', label: t('partner.phone'), hint: t('my.phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', value: state.phone }) }),
            alert,
            submitButton(t('my.send')))),
        back()];
    }
    if (state.step === 'code') {
      return [heading,
        h('section', { class: 'card' },
          h('form', { novalidate: true, onsubmit: onCode, 'aria-label': t('my.code') },
            field({ id: 'code', label: t('my.code'), hint: t('my.code_hint', { phone: state.masked }), control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]*', value: state.code }) }),
            alert,
            submitButton(state.mode === 'signup' ? t('partner.next') : t('partner.sign_in_submit'))),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'btn quiet', id: 'resend', onclick: () => { if (!state.sending) requestCode(); } }, t('my.resend')),
            h('button', { type: 'button', class: 'linkbtn', onclick: () => { state.alert = null; state.errors = {}; go('phone', '#phone'); } }, t('my.change'))))];
    }
    // details (sign-up)
    return [heading, h('p', null, t('partner.details_intro', { phone: state.masked })), detailsForm(), back()];
  };
}
