// /partner: the installer partners' page. A visitor signs up (phone → code → details → the
// application is pending review) or signs in (phone → code); a signed-in partner sees their
// details and status and, once approved, their balance, activates a unit for a customer (the
// serial typed or scanned) and reads the history of their installations and rewards
// (partner_rewards.js). The partner API is /partner/… with a session token (docs/api.md).
import { api, checkPhone, checkText } from '/shared/js/api.js';
import { announce, h, telHref } from '/shared/js/dom.js';
import { errorText, fieldText, formatDate, language, maskPhone, t } from '/shared/js/i18n.js';
import { codeFlow } from './code_flow.js';
import { installationForm } from './installation_form.js';
import { partnerRewards } from './partner_rewards.js';
import { forgetToken, keepToken, partnerTextsMissing, readToken } from './partner_session.js';
import { canScan, scanner, unitOf } from './serial_scan.js';
import {
  alertBox,
  brandText,
  field,
  loadFailed,
  loading,
  localModel,
  settings,
  setTitle,
} from './shell.js';
import { partnerCases } from './partner_cases.js';

// API field names → the details form's controls (the same ids)
const DETAIL_FIELDS = ['name', 'citizen_id', 'province', 'bank_bin', 'account_number', 'account_holder', 'tax_code', 'consent'];
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
    details: { name: '', citizen_id: '', province: '', bank_bin: '', account_number: '', account_holder: '', tax_code: '', consent: false },
    bankFilter: '',
    lists: null, // {banks, cities, provinces} for the details form
    listsFailed: null,
    token: readToken(),
    me: null,
    meFailed: null,
    welcome: false, // just signed up
    rewards: null, // partner_rewards.js, once an approved partner's page is drawn
    activating: false, // the activation form is open
    activated: null, // the last activation's answer
    scan: false, // this browser reads QR codes from the camera
  };
  const flow = codeFlow({ ctx, id: 'partner', sendPath: '/partner/codes', go, onCode });
  const install = installationForm({ ctx, withSerial: true, submitLabel: () => t('install.submit'), onSend: activate });
  if (state.token) {
    state.step = 'me';
    loadMe();
  }
  canScan().then((yes) => {
    state.scan = yes;
    if (yes && state.activating) ctx.redraw();
  });
  let cases = null; // the "Cases" section (js/partner_cases.js), made once signed in and approved

  function go(step, focus = 'h1') {
    state.step = step;
    ctx.redraw({ keep: false, focus });
  }

  function start(mode) {
    state.mode = mode;
    flow.reset();
    go('phone', '#phone');
  }

  // ------------------------------------------------------------ the code

  function onCode(code) {
    if (state.mode === 'signup') {
      flow.state.alert = null;
      loadLists();
      go('details', 'h1');
      return;
    }
    signIn(code);
  }

  async function signIn(code) {
    flow.busy(true, t('partner.sign_in_submit'));
    flow.showAlert(null);
    const result = await api('/partner/sessions', { method: 'POST', body: { phone: flow.state.phone, code } });
    if (!ctx.alive()) return;
    flow.busy(false, t('partner.sign_in_submit'));
    const error = result.error || {};
    if (result.ok && result.data?.session?.token) {
      signedIn(result.data, false);
      return;
    }
    if (result.status === 429) {
      flow.tooMany(result);
      return;
    }
    if (flow.refused(error)) return;
    if (error.code === 'partner_not_found') {
      flow.showAlert(() => [h('p', null, errorText(error)),
        h('button', { type: 'button', class: 'btn', onclick: () => start('signup') }, t('partner.sign_up'))], 'info');
      return;
    }
    if (error.code === 'partner_rejected' || error.code === 'partner_suspended') {
      flow.showAlert(() => [h('p', null, errorText(error)), hotlineLine()]);
      return;
    }
    flow.failed(result, () => signIn(code));
  }

  function signedIn(data, welcome) {
    state.token = data.session.token;
    keepToken(state.token);
    Object.assign(state, { me: data.partner || null, meFailed: null, welcome });
    flow.reset();
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
    flow.setError(control.id, code ? () => fieldText(code) : null);
    return code;
  }

  async function onDetails(event) {
    event.preventDefault();
    if (flow.state.sending) return;
    const form = event.currentTarget;
    readDetails(form);
    let first = null;
    for (const name of Object.keys(RULES)) {
      const control = form.querySelector(`#${name}`);
      if (control && checkField(control) && !first) first = control;
    }
    const consent = form.querySelector('#consent');
    if (!consent.checked) {
      flow.setError('consent', () => fieldText('partner_consent_required'));
      first ||= consent;
    } else flow.setError('consent', null);
    if (first) {
      first.focus();
      return;
    }
    const d = state.details;
    const body = {
      phone: flow.state.phone, code: flow.state.code, name: d.name.trim(), citizen_id: d.citizen_id.replace(/\s+/g, ''),
      province: d.province, bank_bin: d.bank_bin, account_number: d.account_number.trim(),
      account_holder: bankPrinted(d.account_holder).trim(), consent: true, language: language(),
    };
    if (d.tax_code.trim()) body.tax_code = d.tax_code.trim();
    flow.busy(true, t('partner.signup_submit'));
    flow.showAlert(null);
    const result = await api('/partner/signup', { method: 'POST', body });
    if (!ctx.alive()) return;
    flow.busy(false, t('partner.signup_submit'));
    const error = result.error || {};
    if (result.ok && result.data?.session?.token) {
      signedIn(result.data, true);
      return;
    }
    if (flow.refused(error, { back: true })) return;
    if (result.status === 429) {
      flow.tooMany(result);
      return;
    }
    if (result.status === 400 && Array.isArray(error.fields) && error.fields.length) {
      let focus = null;
      for (const f of error.fields) {
        if (f.field === 'code') {
          flow.refused({ code: 'otp_invalid' }, { back: true });
          return;
        }
        const id = DETAIL_FIELDS.includes(f.field) ? f.field : null;
        if (!id) continue;
        flow.setError(id, () => fieldText(f.code, f.message));
        focus ||= document.getElementById(id);
      }
      if (focus) {
        focus.focus();
        return;
      }
    }
    if (error.code === 'partner_exists') {
      flow.showAlert(() => [h('p', null, errorText(error)),
        h('button', { type: 'button', class: 'btn', onclick: () => start('signin') }, t('partner.sign_in'))], 'info');
      return;
    }
    flow.failed(result, () => document.getElementById('partner-submit')?.click());
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
      flow.alertArea(),
      flow.submitButton(t('partner.signup_submit')));
    for (const control of form.querySelectorAll('input[type=text], select')) {
      const keep = () => { state.details[control.id] = control.value; };
      control.addEventListener('input', keep);
      control.addEventListener('change', keep);
      control.addEventListener('blur', () => { if (control.value || control.getAttribute('aria-invalid')) checkField(control); });
    }
    form.querySelector('#consent').addEventListener('change', (e) => {
      state.details.consent = e.target.checked;
      if (e.target.checked) flow.setError('consent', null);
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
    Object.assign(state, { token: '', me: null, mode: 'signin', rewards: null, activating: false, activated: null });
    flow.reset();
    flow.state.alert = () => alertBox('info', h('p', null, errorText(error)));
    go('phone', '#phone');
  }

  async function signOut() {
    const token = state.token;
    forgetToken();
    cases = null;
    Object.assign(state, { token: '', me: null, welcome: false, mode: '', rewards: null, activating: false, activated: null });
    flow.reset();
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

  // ------------------------------------------------------------ activating a unit

  function openActivation() {
    state.activating = true;
    state.activated = null;
    install.reset();
    ctx.redraw({ keep: false, focus: '#i-serial' });
  }

  function closeActivation() {
    state.activating = false;
    ctx.redraw({ keep: false, focus: '#start-activate' });
  }

  async function activate(body, key) {
    const result = await api('/partner/activations', { method: 'POST', body, token: state.token, headers: { 'Idempotency-Key': key } });
    if (!ctx.alive()) return;
    if (result.status === 201) {
      install.busy(false);
      Object.assign(state, { activating: false, activated: { ...result.data, phone: body.customer.phone } });
      state.rewards?.expect(result.data);
      ctx.redraw({ keep: false, focus: '#activated-title' });
      announce(t('install.done_title'));
      return;
    }
    if (result.status === 401) {
      sessionEnded(result.error);
      return;
    }
    if (String(result.error?.code || '').startsWith('phone_code_')) {
      // the brand confirms customers' phones by a code sent from the unit's QR page
      install.answer({ ...result, error: { code: 'install_phone_code_required' } });
      return;
    }
    install.answer(result);
  }

  /** A QR code read by the camera: a sticker's link names the unit by its token (its serial is
   * asked for), a printed serial is taken as it is. */
  async function scanned(text) {
    const unit = unitOf(text);
    if (!unit) {
      announce(t('scan.not_ours'));
      install.setSerial('');
      return;
    }
    if (unit.serial) {
      install.setSerial(unit.serial);
      return;
    }
    const found = await api(`/public/units/${encodeURIComponent(unit.token)}`);
    if (!ctx.alive()) return;
    if (found.ok && found.data?.serial) install.setSerial(found.data.serial);
    else announce(t('scan.not_ours'));
  }

  function scanButton() {
    if (!state.scan) return null;
    return h('button', { type: 'button', class: 'btn quiet block', id: 'scan-start', onclick: () => scanner({ onFound: scanned }) }, t('scan.start'));
  }

  function activationCard() {
    if (state.activating) {
      return [install.view({ title: t('install.partner_title'), intro: t('install.partner_intro'), scan: scanButton() }),
        h('button', { type: 'button', class: 'linkbtn', id: 'install-cancel', onclick: closeActivation }, t('install.cancel'))];
    }
    const done = state.activated;
    return h('section', { class: 'card', 'aria-labelledby': done ? 'activated-title' : 'activate-title' },
      done ? [
        alertBox('ok',
          h('h2', { id: 'activated-title', tabindex: '-1' }, t('install.done_title')),
          h('p', { id: 'activated-unit' }, t('install.done_unit', { serial: done.serial, model: localModel(done.model).name || done.model?.code || '' }))),
        h('h3', null, t('install.next_title')),
        h('ol', { class: 'steps' },
          h('li', null, t('install.next_customer', { phone: maskPhone(checkPhone(done.phone).e164) })),
          h('li', null, t('install.next_reward'))),
      ] : [
        h('h2', { id: 'activate-title' }, t('install.partner_title')),
        h('p', null, t('install.partner_lead')),
      ],
      h('button', { type: 'button', class: 'btn block', id: 'start-activate', onclick: openActivation }, t(done ? 'install.another' : 'install.start')));
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
    const approved = status === 'approved';
    if (approved) state.rewards ||= partnerRewards({ ctx, token: state.token, onSessionEnded: sessionEnded });
    const rewards = approved ? state.rewards.view() : [];
    return [
      state.welcome ? h('div', { class: 'spaced' }, alertBox('ok', h('p', { id: 'welcome' }, h('strong', null, t('partner.signed_up'))))) : null,
      rewards[0] || null, // the balance first
      approved ? activationCard() : null,
      rewards.slice(1),
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
      approved ? null : h('section', { class: 'card', 'aria-labelledby': 'later-title', id: 'partner-later' },
        h('h2', { id: 'later-title' }, t('partner.later_title')),
        h('p', { class: 'hint' }, t('partner.later'))),
      approved ? casesSection() : null,
      h('button', { type: 'button', class: 'btn quiet', id: 'sign-out', onclick: signOut }, t('partner.sign_out')),
    ];
  }

  // ------------------------------------------------------------ views

  function back() {
    return h('button', { type: 'button', class: 'linkbtn', id: 'partner-back', onclick: () => { flow.reset(); go('start', 'h1'); } },
      t('partner.back'));
  }

  function title() {
    if (state.step === 'me') return t('partner.me_title');
    if (state.mode === 'signup') return t('partner.sign_up');
    if (state.mode === 'signin') return t('partner.sign_in');
    return t('partner.title');
  }

  return function draw() {
    const waiting = partnerTextsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry));
    if (waiting) return waiting; // the language's texts came without the page's (first visit, or a switch)
    setTitle(title());
    const heading = h('h1', { tabindex: '-1' }, title());
    if (state.step === 'me') return [heading, mePage()];
    if (state.step === 'start') {
      return [heading, h('p', null, brandText('partner.intro')),
        flow.alertArea(),
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
        flow.phoneForm({ label: t('partner.phone'), formLabel: t('partner.phone') }),
        back()];
    }
    if (state.step === 'code') {
      return [heading, flow.codeForm({ submitLabel: state.mode === 'signup' ? t('partner.next') : t('partner.sign_in_submit') })];
    }
    // details (sign-up)
    flow.restoreErrors();
    return [heading, h('p', null, t('partner.details_intro', { phone: flow.state.masked })), detailsForm(), back()];
  };
}
