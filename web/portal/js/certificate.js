// /c/<token>: the printable warranty certificate with its verification code;
// /verify: anyone holding a paper copy asks the API whether serial + code are real.
import { api } from '/shared/js/api.js';
import { h, icon } from '/shared/js/dom.js';
import { errorText, formatDate, formatNumber, t } from '/shared/js/i18n.js';
import {
  alertBox,
  brandName,
  field,
  loadFailed,
  localModel,
  lookupToken,
  setBusy,
  setTitle,
  settings,
  showFieldError,
  skeleton,
  statusBadge,
  waitAlert,
} from './shell.js';

const SERIAL = /^[A-Z0-9][A-Z0-9-]{2,31}$/;
const CODE = /^[A-Z0-9]{4,16}$/;

function details(unit) {
  const model = localModel(unit.model);
  const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
  return h('dl', { class: 'specs' },
    row(t('cert.serial'), h('span', { class: 'mono' }, unit.serial || '')),
    row(t('cert.model'), model.code && !String(model.name || '').includes(model.code) ? `${model.name || ''} (${model.code})` : model.name || model.code),
    row(t('cert.owner'), unit.customer_name),
    row(t('cert.activated_on'), formatDate(unit.activated_on)),
    row(t('cert.until'), formatDate(unit.warranty_end)),
    row(t('cert.status'), statusBadge(unit.status)));
}

const SVG = 'http://www.w3.org/2000/svg';

/** The QR printed on the certificate, from the API's path data (drawn as SVG elements, never
 * parsed from markup): the portal's verify page for this serial and code. */
function qrCode(qr, label) {
  const modules = Number(qr?.modules);
  if (!(modules > 0 && modules <= 200) || typeof qr.path !== 'string' || !/^[Mhvz0-9 -]*$/.test(qr.path)) return null;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${modules} ${modules}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', modules);
  background.setAttribute('height', modules);
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', qr.path);
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}

/** The warranty's period, how it was counted, the cap from manufacture and the hotline. */
function terms(warranty) {
  if (!warranty || typeof warranty !== 'object') return null;
  const months = (n) => t('product.months', { n: formatNumber(n) });
  const basis = t(`basis.${warranty.basis}`);
  const cap = Number(warranty.max_months_from_manufacture);
  const hotline = settings.brand.hotline;
  return h('section', { class: 'terms', 'aria-labelledby': 'cert-terms' },
    h('h2', { id: 'cert-terms' }, t('cert.terms')),
    h('dl', { class: 'specs' },
      h('dt', null, t('cert.period')),
      h('dd', null, t('cert.period_value', { months: months(warranty.months), start: formatDate(warranty.start), end: formatDate(warranty.end) }))),
    h('ul', null,
      basis !== `basis.${warranty.basis}` ? h('li', null, basis) : null,
      cap > 0 ? h('li', null, t('cert.cap', { months: months(cap) })) : null,
      hotline ? h('li', null, `${t('cert.hotline')}: `, h('strong', null, hotline)) : null));
}

export function certificate(ctx) {
  const token = ctx.params[0];
  const state = { result: null };
  // an owner who opened "my products" in this tab proves it: the full name is shown to them
  const owner = lookupToken();

  function load(first) {
    state.result = null;
    const early = first && ctx.early && !owner ? ctx.early : null;
    (early || api(`/public/certificates/${encodeURIComponent(token)}`, owner ? { token: owner } : {})).then((result) => {
      if (!ctx.alive()) return;
      state.result = result;
      ctx.redraw({ focus: first ? null : 'h1' });
    });
  }
  load(true);

  return function draw() {
    const result = state.result;
    if (!result) {
      setTitle(t('cert.title'));
      return [h('h1', { class: 'sr-only', tabindex: '-1' }, t('cert.title')), skeleton(t('state.loading'))];
    }
    const code = result.error?.code;
    if (code === 'certificate_not_found') {
      setTitle(t('cert.none_title'));
      return [
        h('h1', { tabindex: '-1' }, t('cert.none_title')),
        alertBox('info', h('p', null, t('cert.none')),
          h('a', { class: 'btn', href: `/q/${token}` }, t('cert.activate'))),
      ];
    }
    if (code === 'unit_not_found' || result.status === 404) {
      setTitle(t('cert.invalid_title'));
      return [
        h('h1', { tabindex: '-1' }, t('cert.invalid_title')),
        alertBox('', h('p', null, errorText(result.error))),
      ];
    }
    if (!result.ok) {
      setTitle(t('error.title'));
      return loadFailed(result, () => { load(false); ctx.redraw(); });
    }
    const unit = result.data.certificate || {};
    const vcode = String(result.data.verification_code || '');
    const verifyUrl = `${location.origin}/verify`;
    const verifyLink = `/verify?serial=${encodeURIComponent(unit.serial || '')}&code=${encodeURIComponent(vcode)}`;
    setTitle(t('cert.title'));
    return [
      h('article', { class: 'cert', 'aria-labelledby': 'cert-title' },
        h('header', null,
          h('p', { class: 'label' }, brandName()),
          h('h1', { class: 'title', id: 'cert-title', tabindex: '-1' }, t('cert.title')),
          h('p', { class: 'hint' }, t('cert.subtitle'))),
        details(unit),
        terms(result.data.warranty),
        vcode ? h('section', { class: 'proof', 'aria-labelledby': 'cert-code' },
          h('div', null,
            h('h2', { id: 'cert-code' }, t('cert.code')),
            h('p', { class: 'vcode mono', id: 'verification-code' }, vcode),
            h('p', null, t('cert.how', { url: verifyUrl }))),
          h('figure', { class: 'qr-box' },
            qrCode(result.data.qr, t('cert.scan')),
            h('figcaption', null, t('cert.scan')))) : null),
      h('div', { class: 'row noprint' },
        h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, t('cert.print')),
        vcode ? h('a', { class: 'btn quiet', href: verifyLink }, t('cert.verify_now')) : null),
      h('p', { class: 'hint noprint' }, t('home_screen.how')),
    ];
  };
}

export function verify(ctx) {
  const state = { result: null, sending: false, asked: null, waitUntil: 0 };

  function read(form) {
    const serialInput = form.querySelector('#serial');
    const codeInput = form.querySelector('#code');
    const serial = serialInput.value.replace(/\s+/g, '').toUpperCase();
    const code = codeInput.value.replace(/[\s-]/g, '').toUpperCase();
    showFieldError(serialInput, SERIAL.test(serial) ? null : t('error.serial_invalid'));
    showFieldError(codeInput, CODE.test(code) ? null : t('error.code_format'));
    if (!SERIAL.test(serial)) serialInput.focus();
    else if (!CODE.test(code)) codeInput.focus();
    return SERIAL.test(serial) && CODE.test(code) ? { serial, code } : null;
  }

  async function ask(asked) {
    const button = document.getElementById('verify-submit');
    state.sending = true;
    state.asked = asked;
    if (button) setBusy(button, true, t('verify.submit'));
    const result = await api(`/public/certificates/verify/${encodeURIComponent(asked.serial)}/${encodeURIComponent(asked.code)}`);
    state.sending = false;
    if (!ctx.alive()) return;
    state.result = result;
    state.waitUntil = result.status === 429 && result.retryAfter ? Date.now() + result.retryAfter * 1000 : 0;
    // the server reads look-alike characters (0/O, 1/I/L): the address keeps what it found
    const serial = (result.ok && result.data?.certificate?.serial) || asked.serial;
    ctx.replaceUrl(`/verify?serial=${encodeURIComponent(serial)}&code=${encodeURIComponent(asked.code)}`);
    ctx.redraw({ focus: '#verify-result h2' });
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const asked = read(event.currentTarget);
    if (asked) ask(asked);
  }

  function outcome() {
    const result = state.result;
    if (!result) return null;
    if (result.ok) {
      return h('section', { class: 'verdict ok' }, icon('ok'),
        h('div', null, h('h2', { tabindex: '-1' }, t('verify.ok')), h('p', { class: 'detail' }, t('verify.ok_detail')),
          details(result.data.certificate || {})));
    }
    if (result.status === 404) {
      return h('section', { class: 'verdict bad' }, icon('bad'),
        h('div', null, h('h2', { tabindex: '-1' }, t('verify.bad')), h('p', { class: 'detail' }, t('verify.bad_detail'))));
    }
    if (result.status === 429) {
      const heading = h('h2', { tabindex: '-1' }, t('error.title'));
      return waitAlert(state.waitUntil, { heading, buttonId: 'verify-submit', onDone: () => { state.result = null; } });
    }
    return alertBox('', h('h2', { tabindex: '-1' }, t('error.title')), h('p', null, errorText(result.error)),
      result.network || result.status >= 500
        ? h('button', { type: 'button', class: 'btn', onclick: () => ask(state.asked) }, t('action.retry')) : null);
  }

  const serial = (ctx.query.get('serial') || '').slice(0, 40);
  const code = (ctx.query.get('code') || '').slice(0, 20);
  if (serial && code) queueMicrotask(() => ask({ serial: serial.toUpperCase(), code: code.toUpperCase() }));

  return function draw() {
    setTitle(t('verify.title'));
    const form = h('form', { novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'verify-title' },
      field({ id: 'serial', label: t('verify.serial'), hint: t('verify.serial_hint'), control: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: serial }) }),
      field({ id: 'code', label: t('verify.code'), hint: t('verify.code_hint'), control: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: code }) }),
      h('button', { type: 'submit', class: 'btn block', id: 'verify-submit', disabled: state.sending || Date.now() < state.waitUntil }, state.sending ? t('form.sending') : t('verify.submit')));
    return [
      h('h1', { id: 'verify-title', tabindex: '-1' }, t('verify.title')),
      h('p', null, t('verify.intro')),
      h('section', { class: 'card' }, form),
      h('div', { id: 'verify-result' }, outcome()),
    ];
  };
}
