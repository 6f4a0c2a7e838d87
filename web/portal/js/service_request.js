// /s/<token>: ask for service for one unit. ``token`` is the unit's QR token (``/q/<token>``, the
// sticker scanned; "my products" has it from the certificate's link ``/c/<token>``): it is the
// ``sig`` that proves the customer holds the unit. The page first helps the customer help
// themselves (the model's manual and common faults, the service points of their province) and
// says what the request will get (the verdict preview, with its reasons); then the form (type,
// what is wrong, the model's own questions, photos uploaded straight to the bucket, contact,
// preferred time); then the verdict at once, the reference and the tracking link.
import { api, checkPhone, checkText, cleanText } from '/shared/js/api.js';
import { announce, h, safeUrl, telHref } from '/shared/js/dom.js';
import { errorText, fieldText, language, t } from '/shared/js/i18n.js';
import { claimVerdict, REQUEST_FORM, REQUESTS, serviceTextsMissing, trackingPath } from './service_shared.js';
import {
  alertBox,
  field,
  loadFailed,
  localModel,
  lookupToken,
  provinceSelect,
  setBusy,
  setTitle,
  settings,
  showFieldError,
  skeleton,
  waitAlert,
} from './shell.js';

const TYPES = ['warranty', 'repair', 'installation', 'maintenance', 'complaint'];
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const PHOTOS_MAX = 6;
const DESCRIPTION_MAX = 2000;
const PREFERRED_MAX = 200;
// the configured field that asks "what is wrong": the description already asks it
const DESCRIPTION_KEY = 'problem';
// when the form's route cannot answer: the default form's questions (claims/forms.py)
const DEFAULT_FIELDS = [
  { key: 'problem', type: 'textarea', label: 'Sản phẩm gặp vấn đề gì?', label_en: 'What is wrong?', required: true, options: [] },
  { key: 'started_on', type: 'date', label: 'Bắt đầu từ ngày', label_en: 'Since when', required: false, options: [] },
  { key: 'error_code', type: 'text', label: 'Mã lỗi hiển thị (nếu có)', label_en: 'Error code shown (if any)', required: false, options: [] },
];

// API field paths → the form's controls
const FIELDS = {
  claim_type: 'sr-type',
  description: 'sr-description',
  preferred_time: 'sr-preferred',
  photos: 'sr-photos',
  'customer.name': 'sr-name',
  'customer.phone': 'sr-phone',
  'customer.province': 'sr-province',
  'customer.address': 'sr-address',
};

const RULES = {
  'sr-description': (v) => checkText(v, { max: DESCRIPTION_MAX, prefix: 'claim_description', required: true }),
  'sr-name': (v) => checkText(v, { max: 100, prefix: 'name', required: true }),
  'sr-phone': (v) => checkPhone(v).code || null,
  'sr-address': (v) => checkText(v, { max: 300, prefix: 'address' }),
  'sr-preferred': (v) => checkText(v, { max: PREFERRED_MAX, prefix: 'claim_text' }),
};

export function service(ctx) {
  const token = ctx.params[0];
  const state = {
    unit: null, // GET /public/units/<token>
    preview: null, // the verdict a request would get now
    help: null,
    fields: null, // the model's questions
    problemAsked: false, // they ask "what is wrong": the description answers it
    province: '',
    points: null, // {province, result}
    openFaults: new Set(), // the common faults the customer opened (their index)
    step: 'help', // help → form → done
    photos: [], // {id, name, type, size, thumb, progress, key, error}
    errors: {}, // control id → () => message
    alert: null,
    sending: false,
    waitUntil: 0,
    done: null, // the 201's body
    lang: language(),
  };
  let photoIds = 0;

  const session = () => lookupToken() || undefined; // "my products": the owner may file too

  async function load() {
    state.unit = null;
    const unit = await api(`/public/units/${encodeURIComponent(token)}`);
    if (!ctx.alive()) return;
    state.unit = unit;
    ctx.redraw();
    if (!unit.ok) return;
    const serial = unit.data.serial;
    const code = unit.data.model?.code || '';
    const query = `serial=${encodeURIComponent(serial)}&sig=${encodeURIComponent(token)}`;
    const [preview, help, form] = await Promise.all([
      api(`${REQUESTS}/eligibility`, { method: 'POST', body: { serial, sig: token }, token: session() }),
      code ? api(`/public/models/${encodeURIComponent(code)}/help`) : Promise.resolve(null),
      api(`${REQUEST_FORM}?${query}`),
    ]);
    if (!ctx.alive()) return;
    state.preview = preview;
    state.help = help?.ok ? help.data : null;
    const fields = form.ok && Array.isArray(form.data?.fields) ? form.data.fields : DEFAULT_FIELDS;
    state.fields = fields.filter((f) => f && f.key !== DESCRIPTION_KEY);
    state.problemAsked = fields.some((f) => f?.key === DESCRIPTION_KEY);
    state.lang = language();
    ctx.redraw();
  }
  load();

  /** The verdict's reasons are the API's words: asked again in the page's new language. */
  async function relocalise() {
    state.lang = language();
    if (!state.unit?.ok) return;
    const body = { serial: state.unit.data.serial, sig: token };
    const preview = await api(`${REQUESTS}/eligibility`, { method: 'POST', body, token: session() });
    if (ctx.alive() && preview.ok) {
      state.preview = preview;
      ctx.redraw();
    }
  }

  const verdictNow = () => (state.preview?.ok ? state.preview.data.verdict : null);
  const outOfWarranty = () => verdictNow()?.status === 'out_of_warranty';

  // ------------------------------------------------------------ self-help and service points

  function helpCard() {
    const help = state.help;
    if (!help) return null;
    const english = language() !== 'vi' && help.en && typeof help.en === 'object' ? help.en : {};
    const faults = Array.isArray(english.faults) ? english.faults : help.faults || [];
    const manual = safeUrl(help.manual);
    if (!manual && !faults.length) return null;
    return h('section', { class: 'card', id: 'sr-help', 'aria-labelledby': 'sr-help-title' },
      h('h2', { id: 'sr-help-title' }, t('sr.help_title')),
      h('p', { class: 'hint' }, t('sr.help_intro')),
      faults.length ? h('div', { class: 'faults' }, faults.map((fault, index) => h('details', {
        class: 'fault',
        open: state.openFaults.has(index), // a redraw (a province chosen) keeps what they opened
        ontoggle: (event) => { if (event.target.open) state.openFaults.add(index); else state.openFaults.delete(index); },
      },
        h('summary', null, fault.title),
        h('p', { class: 'note-text' }, fault.fix)))) : null,
      manual ? h('p', null, h('a', { href: manual, id: 'sr-manual', rel: 'noopener', target: '_blank' }, t('sr.manual'))) : null);
  }

  async function showPoints(province) {
    state.province = province;
    if (!province) {
      state.points = null;
      ctx.redraw();
      return;
    }
    state.points = { province, result: null };
    ctx.redraw();
    const result = await api(`/public/service-points?province=${encodeURIComponent(province)}`);
    if (!ctx.alive() || state.points?.province !== province) return;
    state.points = { province, result };
    ctx.redraw();
  }

  function pointsList() {
    const found = state.points?.result;
    if (!state.points) return null;
    if (!found) return h('p', { class: 'hint' }, t('state.loading'));
    if (!found.ok) return alertBox('', h('p', null, errorText(found.error)));
    const points = Array.isArray(found.data?.points) ? found.data.points : [];
    if (!points.length) return h('p', { id: 'sr-points-none' }, t('sr.points_none', { province: state.points.province }));
    return h('ul', { class: 'plain points', id: 'sr-points' }, points.map((p) => h('li', { class: 'case-item' },
      h('p', null, h('strong', null, p.name), ' ', h('span', { class: 'badge info' }, t(`sr.point_kind.${p.kind}`))),
      p.address ? h('p', { class: 'hint' }, p.address) : null,
      p.hours ? h('p', { class: 'hint' }, p.hours) : null,
      p.phone ? h('p', null, h('a', { href: telHref(p.phone) }, p.phone)) : null)));
  }

  function pointsCard() {
    const select = provinceSelect(t('sr.points_choose'), state.province);
    select.addEventListener('change', () => showPoints(select.value));
    return h('section', { class: 'card', 'aria-labelledby': 'sr-points-title' },
      h('h2', { id: 'sr-points-title' }, t('sr.points_title')),
      field({ id: 'sr-points-province', label: t('sr.points_province'), control: select }),
      h('div', { 'aria-live': 'polite' }, pointsList()));
  }

  // ------------------------------------------------------------ photos

  function refusePhoto(file) {
    if (!IMAGE_TYPES.includes(file.type)) return t('sr.photo_wrong_type', { name: file.name });
    if (file.size > MAX_IMAGE_BYTES) return t('sr.photo_too_large', { name: file.name });
    return '';
  }

  function addPhotos(files) {
    const refusals = [];
    for (const file of files) {
      const refused = refusePhoto(file);
      if (refused) refusals.push(refused);
      else if (state.photos.length >= PHOTOS_MAX) refusals.push(t('sr.photos_too_many', { max: PHOTOS_MAX }));
      else {
        const photo = { id: ++photoIds, name: file.name, progress: 0, key: '', error: '', thumb: '' };
        state.photos.push(photo);
        thumbnail(file, photo);
        upload(file, photo);
      }
    }
    state.errors['sr-photos'] = refusals.length ? () => [...new Set(refusals)].join(' ') : undefined;
    if (!refusals.length) delete state.errors['sr-photos'];
    drawPhotos();
  }

  /** A small JPEG of the photo (a data: URL: the page's policy allows no blob: images). */
  async function thumbnail(file, photo) {
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 192 / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      photo.thumb = canvas.toDataURL('image/jpeg', 0.8);
    } catch {
      photo.thumb = ''; // not an image the browser can read: the upload's check says so
    }
    drawPhotos();
  }

  /** One photo: a presigned PUT from the API, then the file straight to the bucket (XHR, for
   * its upload progress). */
  async function upload(file, photo) {
    const started = await api(`${REQUESTS}/photos`, { method: 'POST', body: { content_type: file.type, size: file.size } });
    if (!started.ok) {
      photo.error = errorText(started.error);
      drawPhotos();
      return;
    }
    const { url, headers } = started.data.upload;
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers || {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      photo.progress = Math.round((event.loaded / event.total) * 100);
      drawPhotos();
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) Object.assign(photo, { key: started.data.key, progress: 100 });
      else photo.error = t('sr.photo_failed');
      drawPhotos();
    };
    xhr.onerror = () => {
      photo.error = t('sr.photo_failed');
      drawPhotos();
    };
    xhr.send(file);
  }

  function removePhoto(photo) {
    state.photos = state.photos.filter((p) => p !== photo);
    drawPhotos();
    document.getElementById('sr-photos')?.focus();
  }

  function photoItem(photo, index) {
    let status = t('sr.photo_uploading', { n: photo.progress });
    if (photo.error) status = photo.error;
    else if (photo.key) status = t('sr.photo_ready');
    return h('li', { class: `photo${photo.error ? ' failed' : ''}`, 'data-state': photo.error ? 'failed' : photo.key ? 'ready' : 'uploading' },
      photo.thumb ? h('img', { src: photo.thumb, alt: t('sr.photo_alt', { n: index + 1 }), width: 96, height: 96 }) : h('span', { class: 'thumb-empty', 'aria-hidden': 'true' }),
      h('progress', { max: 100, value: photo.progress, 'aria-label': t('sr.photo_alt', { n: index + 1 }) }),
      h('p', { class: 'hint' }, status),
      h('button', { type: 'button', class: 'linkbtn', onclick: () => removePhoto(photo) }, t('sr.photo_remove')));
  }

  function photosBlock() {
    const input = h('input', { type: 'file', accept: IMAGE_TYPES.join(','), multiple: true });
    input.addEventListener('change', () => {
      addPhotos([...input.files]);
      input.value = '';
    });
    // the browser's own button speaks the browser's language: the page's label is the button
    Object.assign(input, { id: 'sr-photos', name: 'sr-photos', className: 'file-input' });
    input.setAttribute('aria-describedby', 'sr-photos-hint');
    return h('div', { id: 'sr-photos-block', class: 'field' },
      h('p', { class: 'label', id: 'sr-photos-label' }, t('sr.photos'), h('span', { class: 'opt' }, ` (${t('form.optional')})`)),
      h('p', { class: 'hint', id: 'sr-photos-hint' }, t('sr.photos_rules', { max: PHOTOS_MAX })),
      h('div', { class: 'file-pick' }, input,
        h('label', { for: 'sr-photos', class: 'btn quiet' }, state.photos.length ? t('sr.photos_more') : t('sr.photos_add'))),
      h('p', { class: 'err', id: 'sr-photos-err', hidden: true }),
      h('ul', { class: 'photos', id: 'sr-photo-list', 'aria-live': 'polite' }, state.photos.map(photoItem)));
  }

  /** The photos' part only (an upload's progress does not redraw what is being typed). */
  function drawPhotos() {
    const block = document.getElementById('sr-photos-block');
    if (!block) return;
    const fresh = photosBlock();
    block.replaceWith(fresh);
    const message = state.errors['sr-photos'];
    showFieldError(fresh.querySelector('#sr-photos'), message ? message() : null);
  }

  // ------------------------------------------------------------ the form

  function answerControl(f) {
    const english = language() !== 'vi';
    const optionLabel = (o) => (english && o.label_en) || o.label || o.value;
    if (f.type === 'select') {
      return h('select', null, h('option', { value: '' }, t('sr.choose')),
        (f.options || []).map((o) => h('option', { value: o.value }, optionLabel(o))));
    }
    if (f.type === 'textarea') return h('textarea', { rows: 3, maxlength: 2000 });
    if (f.type === 'number') return h('input', { type: 'text', inputmode: 'numeric', pattern: '[0-9]*' });
    if (f.type === 'date') return h('input', { type: 'date' });
    if (f.type === 'checkbox') return h('input', { type: 'checkbox' });
    return h('input', { type: 'text', maxlength: 200 });
  }

  function answerField(f) {
    const id = `sr-answer-${f.key}`;
    const label = (language() !== 'vi' && f.label_en) || f.label || f.key;
    const control = answerControl(f);
    // an answer given clears its "please answer" at once
    control.addEventListener('change', () => {
      if (control.getAttribute('aria-invalid') && (control.type === 'checkbox' ? control.checked : control.value)) setError(control, null);
    });
    if (f.type === 'checkbox') {
      control.id = id;
      control.name = id;
      return h('div', null,
        h('div', { class: 'check' }, control, h('label', { for: id }, label)),
        h('p', { class: 'err', id: `${id}-err`, hidden: true }));
    }
    return field({ id, label, optional: !f.required, control });
  }

  function answers(form) {
    const values = {};
    const missing = [];
    for (const f of state.fields || []) {
      const control = form.querySelector(`#sr-answer-${f.key}`);
      if (!control) continue;
      let value = f.type === 'checkbox' ? control.checked : cleanText(control.value);
      if (f.type === 'number' && value !== '') value = /^\d{1,12}$/.test(value) ? Number(value) : value;
      if (f.required && (value === '' || value === false)) missing.push(control);
      if (value !== '') values[f.key] = value;
    }
    return { values, missing };
  }

  function form() {
    const paid = outOfWarranty();
    const typeSelect = h('select', { disabled: paid || null },
      TYPES.map((type) => h('option', { value: type, selected: type === (paid ? 'repair' : 'warranty') || null }, t(`sr.type.${type}`))));
    const area = (max, rows) => h('textarea', { rows, maxlength: max });
    const submitLabel = paid ? t('sr.submit_quote') : t('sr.submit');
    const el = h('form', { novalidate: true, id: 'sr-form', 'aria-labelledby': 'sr-form-title', onsubmit: onSubmit },
      h('div', null,
        h('h2', { id: 'sr-form-title', tabindex: '-1' }, paid ? t('sr.form_quote_title') : t('sr.form_title')),
        h('p', { class: 'hint' }, paid ? t('sr.form_quote_intro') : t('sr.form_intro'))),
      field({ id: 'sr-type', label: t('sr.type'), hint: paid ? t('sr.type_quote_hint') : null, control: typeSelect }),
      field({ id: 'sr-description', label: t('sr.description'), hint: t('sr.description_hint'), control: area(DESCRIPTION_MAX, 4) }),
      (state.fields || []).map(answerField),
      photosBlock(),
      h('fieldset', null,
        h('legend', null, t('sr.contact')),
        field({ id: 'sr-name', label: t('activate.name'), control: h('input', { type: 'text', autocomplete: 'name', autocapitalize: 'words', required: true }) }),
        field({ id: 'sr-phone', label: t('activate.phone'), hint: t('sr.phone_hint'), control: h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true }) }),
        field({ id: 'sr-province', label: t('activate.province'), optional: true, control: provinceSelect(t('activate.province_none'), state.province) }),
        field({ id: 'sr-address', label: t('sr.address'), hint: t('sr.address_hint'), optional: true, control: h('input', { type: 'text', autocomplete: 'street-address' }) })),
      field({ id: 'sr-preferred', label: t('sr.preferred'), hint: t('sr.preferred_hint'), optional: true, control: h('input', { type: 'text', maxlength: PREFERRED_MAX }) }),
      h('div', { id: 'sr-alert' }, state.alert ? state.alert() : null),
      h('button', { type: 'submit', class: 'btn block', id: 'sr-submit', disabled: state.sending || Date.now() < state.waitUntil || null },
        state.sending ? t('form.sending') : submitLabel));
    for (const control of el.querySelectorAll('input[type=text], input[type=tel], textarea')) {
      control.addEventListener('blur', () => {
        if (control.value || control.getAttribute('aria-invalid')) check(control);
      });
    }
    queueMicrotask(() => {
      for (const [id, message] of Object.entries(state.errors)) {
        const control = el.querySelector(`#${id}`);
        if (control && message) showFieldError(control, message());
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

  function showAlert(build, kind = '') {
    state.alert = build ? () => alertBox(kind, build()) : null;
    document.getElementById('sr-alert')?.replaceChildren(...(state.alert ? [state.alert()] : []));
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.sending) return;
    const el = event.currentTarget;
    const invalid = Object.keys(RULES).map((id) => el.querySelector(`#${id}`)).filter((c) => !check(c));
    const { values, missing } = answers(el);
    for (const control of missing) setError(control, () => t('sr.answer_required'));
    invalid.push(...missing);
    if (invalid.length) {
      showAlert(() => h('p', null, t('form.fix', { n: invalid.length })));
      invalid[0].focus();
      return;
    }
    if (state.photos.some((p) => !p.key && !p.error)) {
      showAlert(() => h('p', null, t('sr.photos_wait')), 'info');
      return;
    }
    const value = (id) => el.querySelector(`#${id}`).value;
    const description = cleanText(value('sr-description'));
    send({
      serial: state.unit.data.serial,
      sig: token,
      claim_type: outOfWarranty() ? 'repair' : value('sr-type'),
      description,
      answers: state.problemAsked ? { ...values, [DESCRIPTION_KEY]: description } : values,
      photos: state.photos.filter((p) => p.key).map((p) => p.key),
      customer: {
        name: cleanText(value('sr-name')),
        phone: value('sr-phone').trim(),
        province: value('sr-province'),
        address: cleanText(value('sr-address')),
        language: language(),
      },
      preferred_time: cleanText(value('sr-preferred')),
    });
  }

  async function send(body) {
    const button = document.getElementById('sr-submit');
    state.sending = true;
    showAlert(null);
    setBusy(button, true, t('sr.submit'));
    const result = await api(REQUESTS, { method: 'POST', body, token: session() });
    state.sending = false;
    if (!ctx.alive()) return;
    if (result.status === 201) {
      state.done = result.data;
      state.step = 'done';
      state.alert = null;
      ctx.redraw({ keep: false, focus: 'h1' });
      announce(t('sr.done_title', { id: result.data.claim_id }));
      return;
    }
    const live = document.getElementById('sr-submit') || button;
    setBusy(live, false, outOfWarranty() ? t('sr.submit_quote') : t('sr.submit'));
    refused(result, live);
  }

  function refused(result, button) {
    const error = result.error || {};
    if (result.status === 400 && Array.isArray(error.fields) && error.fields.length) {
      let first = null;
      for (const item of error.fields) {
        const path = String(item.field || '');
        const id = FIELDS[path] || (path.startsWith('answers.') ? `sr-answer-${path.slice(8)}` : '');
        const control = id && document.getElementById(id);
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
      state.alert = () => waitAlert(state.waitUntil, { buttonId: 'sr-submit', onDone: () => { state.alert = null; } });
      document.getElementById('sr-alert')?.replaceChildren(state.alert());
      return;
    }
    const hotline = settings.brand.hotline;
    showAlert(() => [
      h('p', null, errorText(error)),
      hotline ? h('p', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null,
    ]);
    document.getElementById('sr-alert')?.querySelector('.alert')?.focus();
  }

  // ------------------------------------------------------------ views

  function product() {
    const unit = state.unit.data;
    const model = localModel(unit.model);
    return h('p', { class: 'code', id: 'sr-product' }, model.name || model.code || '', ' · ', t('sr.serial', { serial: unit.serial }));
  }

  function previewBox() {
    const preview = state.preview;
    if (!preview) return skeleton(t('sr.checking'));
    if (!preview.ok) {
      const retry = preview.status === 404 || preview.status === 403 ? null
        : h('button', { type: 'button', class: 'btn', onclick: () => { state.preview = null; ctx.redraw(); relocalise(); } }, t('action.retry'));
      return h('div', { class: 'spaced' }, alertBox('', h('p', null, errorText(preview.error)), retry));
    }
    return claimVerdict(verdictNow(), { id: 'sr-preview' });
  }

  function helpStep() {
    const canAsk = state.preview?.ok;
    return [
      previewBox(),
      helpCard(),
      pointsCard(),
      canAsk ? h('button', {
        type: 'button', class: 'btn block', id: 'sr-start',
        onclick: () => { state.step = 'form'; ctx.redraw({ keep: false, focus: '#sr-form-title' }); },
      }, outOfWarranty() ? t('sr.start_quote') : t('sr.start')) : null,
    ];
  }

  function doneView() {
    const done = state.done;
    setTitle(t('sr.done_title', { id: done.claim_id }));
    const path = trackingPath(done.claim_id, done.token);
    const paid = done.verdict?.status === 'out_of_warranty';
    return [
      h('section', { class: 'card', 'aria-labelledby': 'sr-done-title' },
        h('h1', { id: 'sr-done-title', tabindex: '-1' }, t('sr.done_title', { id: done.claim_id })),
        h('p', null, t('sr.done_intro')),
        h('p', { class: 'big mono', id: 'sr-reference' }, done.claim_id)),
      claimVerdict(done.verdict, { id: 'sr-verdict' }),
      paid ? h('div', { class: 'spaced' }, alertBox('info', h('p', { id: 'sr-quote-next' }, t('sr.quote_next')))) : null,
      h('a', { class: 'btn block', href: path, id: 'sr-track' }, t('sr.track')),
      h('p', { class: 'hint' }, t('sr.track_hint')),
    ];
  }

  return function draw() {
    const waiting = serviceTextsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry));
    if (waiting) return waiting;
    if (state.lang !== language() && state.step !== 'done') queueMicrotask(relocalise);
    if (state.done) return doneView();
    setTitle(t('sr.title'));
    const heading = h('h1', { tabindex: '-1' }, t('sr.title'));
    const unit = state.unit;
    if (!unit) return [heading, skeleton(t('sr.checking'))];
    if (unit.status === 404 || unit.status === 400) return [heading, alertBox('', h('p', null, t('sr.unit_unknown')))];
    if (!unit.ok) return loadFailed(unit, () => { load(); ctx.redraw(); });
    const body = state.step === 'form' ? [claimVerdict(verdictNow(), { id: 'sr-preview' }), form()] : helpStep();
    return [heading, product(), body];
  };
}
