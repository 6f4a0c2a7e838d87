// The "Cases" section of the partner's page (/partner): the partner's own service cases (a unit
// it installed) and complaints (one of its reward entries), each a conversation with staff.
// Open a case, read a thread, add a note with photos (each uploaded straight to the bucket by a
// presigned PUT, then checked by the API), close it. The section keeps its own element and
// state, so the page's redraws (a language switch) keep what the partner typed.
import { api } from '/shared/js/api.js';
import { announce, h } from '/shared/js/dom.js';
import { errorText, formatDate, t } from '/shared/js/i18n.js';
import { alertBox, field, loading } from './shell.js';

const STATUS_KIND = { open: 'warn', answered: 'ok', closed: 'info' };
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const PHOTOS_MAX = 5;
const NOTE_MAX = 2000;
const SUBJECT_MAX = 120;

/** The section for a signed-in, approved partner: ``token()`` is its session token,
 * ``onEnded(error)`` is called when the API says the session is over. Returns
 * ``{element, draw}``: the page puts ``element`` where the section goes and calls ``draw()``
 * when its texts change. */
export function partnerCases({ token, onEnded }) {
  const element = h('section', { class: 'card', id: 'partner-cases', 'aria-labelledby': 'cases-title' });
  const state = {
    view: 'list', // list | new | case
    cases: null,
    failed: null,
    current: null, // the open case, with its thread
    form: { kind: 'service', serial: '', subject: '', text: '' },
    note: '',
    files: [],
    sending: false,
    alert: null,
  };

  async function call(path, options = {}) {
    const result = await api(path, { ...options, token: token() });
    if (result.status === 401) onEnded(result.error);
    return result;
  }

  async function loadList() {
    const result = await call('/partner/cases');
    if (result.ok) Object.assign(state, { cases: result.data.cases, failed: null });
    else if (result.status !== 401) state.failed = result;
    draw();
  }

  async function openCase(caseId) {
    Object.assign(state, { view: 'case', current: null, note: '', files: [], alert: null });
    draw();
    const result = await call(`/partner/cases/${encodeURIComponent(caseId)}`);
    if (result.ok) state.current = result.data.case;
    else state.alert = () => alertBox('', h('p', null, errorText(result.error)));
    draw();
    element.querySelector('h3')?.focus();
  }

  /** Each chosen photo uploaded and checked; their keys, or the first refusal. */
  async function uploadPhotos() {
    const keys = [];
    for (const file of state.files) {
      const started = await call('/partner/cases/photos', { method: 'POST', body: { content_type: file.type, size: file.size } });
      if (!started.ok) return { error: started.error };
      let put;
      try {
        put = await fetch(started.data.upload.url, { method: 'PUT', headers: started.data.upload.headers, body: file });
      } catch {
        return { error: { code: 'network' } };
      }
      if (!put.ok) return { error: { code: 'network' } };
      const done = await call('/partner/cases/photos/done', { method: 'POST', body: { key: started.data.key } });
      if (!done.ok) return { error: done.error };
      keys.push(done.data.photo.key);
    }
    return { keys };
  }

  function checkFiles() {
    if (state.files.length > PHOTOS_MAX) return t('cases.photos_too_many', { max: PHOTOS_MAX });
    if (state.files.some((f) => !IMAGE_TYPES.includes(f.type))) return t('cases.photo_wrong_type');
    return state.files.some((f) => f.size > MAX_IMAGE_BYTES) ? t('cases.photo_too_large') : '';
  }

  /** Photos, then the request itself; the answer's case is shown. */
  async function send(path, body) {
    const refused = checkFiles();
    if (refused) {
      state.alert = () => alertBox('', h('p', null, refused));
      draw();
      return;
    }
    state.sending = true;
    state.alert = null;
    draw();
    const photos = await uploadPhotos();
    const result = photos.error ? { ok: false, error: photos.error } : await call(path, { method: 'POST', body: { ...body, photos: photos.keys } });
    state.sending = false;
    if (!result.ok) {
      state.alert = () => alertBox('', h('p', null, errorText(result.error)));
      draw();
      return;
    }
    Object.assign(state, { view: 'case', current: result.data.case, note: '', files: [], cases: null });
    draw();
    announce(t('cases.sent'));
    loadList();
  }

  function onOpen(event) {
    event.preventDefault();
    const { kind, serial, subject, text } = state.form;
    if (!serial.trim() || !subject.trim()) {
      state.alert = () => alertBox('', h('p', null, t('cases.required')));
      draw();
      return;
    }
    send('/partner/cases', { kind, serial: serial.trim(), subject: subject.trim(), text });
  }

  function onNote(event) {
    event.preventDefault();
    if (!state.note.trim() && state.files.length === 0) {
      state.alert = () => alertBox('', h('p', null, t('cases.note_empty')));
      draw();
      return;
    }
    send(`/partner/cases/${encodeURIComponent(state.current.case_id)}/notes`, { text: state.note });
  }

  async function onClose() {
    state.sending = true;
    draw();
    const result = await call(`/partner/cases/${encodeURIComponent(state.current.case_id)}/close`, { method: 'POST' });
    state.sending = false;
    if (result.ok) Object.assign(state, { current: result.data.case, cases: null });
    else state.alert = () => alertBox('', h('p', null, errorText(result.error)));
    draw();
    if (result.ok) loadList();
  }

  // ---------------------------------------------------------------- views

  const badge = (status) => h('span', { class: `badge ${STATUS_KIND[status] || 'info'}` }, t(`cases.status.${status}`));

  function photosField(id) {
    const input = h('input', { type: 'file', accept: IMAGE_TYPES.join(','), multiple: true });
    input.addEventListener('change', () => {
      state.files = [...input.files];
      draw();
    });
    const chosen = state.files.length ? h('p', { class: 'hint', id: `${id}-chosen` }, t('cases.photos_chosen', { n: state.files.length })) : null;
    return [field({ id, label: t('cases.photos'), hint: t('cases.photos_rules', { max: PHOTOS_MAX }), optional: true, control: input }), chosen];
  }

  function noteText(id, value, onInput) {
    const area = h('textarea', { rows: 4, maxlength: NOTE_MAX });
    area.value = value;
    area.addEventListener('input', () => onInput(area.value));
    return field({ id, label: t('cases.note'), optional: true, control: area });
  }

  function submit(label) {
    return h('button', { type: 'submit', class: 'btn block', disabled: state.sending }, state.sending ? t('form.sending') : label);
  }

  function listView() {
    if (state.failed) return alertBox('', h('p', null, errorText(state.failed.error)));
    if (!state.cases) return loading();
    const items = state.cases.map((c) => h('li', { class: 'case-item' },
      h('button', { type: 'button', class: 'linkbtn', onclick: () => openCase(c.case_id) }, c.subject),
      h('p', { class: 'hint' }, badge(c.status), ' ', t(`cases.kind.${c.kind}`), ' · ', c.serial, ' · ', formatDate(c.updated_at))));
    return [
      items.length ? h('ul', { class: 'plain', id: 'cases-list' }, items) : h('p', { class: 'hint', id: 'cases-empty' }, t('cases.none')),
      h('button', { type: 'button', class: 'btn quiet block', id: 'case-new', onclick: () => { Object.assign(state, { view: 'new', alert: null, files: [] }); draw(); element.querySelector('#case-kind')?.focus(); } }, t('cases.new')),
    ];
  }

  function newView() {
    const kind = h('select', null, ['service', 'complaint'].map((k) => h('option', { value: k, selected: state.form.kind === k }, t(`cases.kind.${k}`))));
    kind.addEventListener('change', () => { state.form.kind = kind.value; });
    const input = (name, attrs) => {
      const control = h('input', { type: 'text', ...attrs });
      control.value = state.form[name];
      control.addEventListener('input', () => { state.form[name] = control.value; });
      return control;
    };
    return h('form', { novalidate: true, onsubmit: onOpen, 'aria-labelledby': 'case-new-title' },
      h('h3', { id: 'case-new-title', tabindex: '-1' }, t('cases.new')),
      field({ id: 'case-kind', label: t('cases.kind'), hint: t('cases.kind_hint'), control: kind }),
      field({ id: 'case-serial', label: t('cases.serial'), control: input('serial', { autocomplete: 'off', maxlength: 40, autocapitalize: 'characters' }) }),
      field({ id: 'case-subject', label: t('cases.subject'), control: input('subject', { maxlength: SUBJECT_MAX }) }),
      noteText('case-text', state.form.text, (value) => { state.form.text = value; }),
      photosField('case-photos'),
      h('div', { id: 'cases-alert' }, state.alert ? state.alert() : null),
      submit(t('cases.open')),
      h('button', { type: 'button', class: 'linkbtn', onclick: () => { Object.assign(state, { view: 'list', alert: null }); draw(); } }, t('cases.back')));
  }

  function noteView(note) {
    const who = note.author.role === 'staff' ? t('cases.by_staff') : t('cases.by_you');
    return h('li', { class: `case-note ${note.author.role}` },
      h('p', { class: 'hint' }, h('strong', null, who), ' · ', formatDate(note.at)),
      note.text ? h('p', { class: 'note-text' }, note.text) : null,
      note.photos.length ? h('div', { class: 'case-photos' }, note.photos.map((p, i) => h('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer' },
        h('img', { src: p.url, alt: t('cases.photo_alt', { n: i + 1 }), width: 96, height: 96, loading: 'lazy' })))) : null);
  }

  function caseView() {
    const c = state.current;
    if (!c) return [h('div', { id: 'cases-alert' }, state.alert ? state.alert() : null), state.alert ? null : loading()];
    return [
      h('h3', { tabindex: '-1', id: 'case-subject-title' }, c.subject),
      h('p', null, badge(c.status), ' ', t(`cases.kind.${c.kind}`), ' · ', c.serial),
      h('ol', { class: 'plain', id: 'case-thread' }, c.notes.map(noteView)),
      c.status === 'closed' ? h('p', { class: 'hint' }, t('cases.closed_hint')) : null,
      h('form', { novalidate: true, onsubmit: onNote, 'aria-label': t('cases.add_note') },
        noteText('case-note', state.note, (value) => { state.note = value; }),
        photosField('case-note-photos'),
        h('div', { id: 'cases-alert' }, state.alert ? state.alert() : null),
        submit(c.status === 'closed' ? t('cases.reopen') : t('cases.add_note'))),
      c.status === 'closed' ? null : h('button', { type: 'button', class: 'btn quiet block', id: 'case-close', disabled: state.sending, onclick: onClose }, t('cases.close')),
      h('button', { type: 'button', class: 'linkbtn', onclick: () => { Object.assign(state, { view: 'list', current: null, alert: null }); draw(); if (!state.cases) loadList(); } }, t('cases.back')),
    ];
  }

  function draw() {
    let body;
    if (state.view === 'new') body = newView();
    else if (state.view === 'case') body = caseView();
    else body = listView();
    element.replaceChildren(h('h2', { id: 'cases-title' }, t('cases.title')), h('p', { class: 'hint' }, t('cases.intro')), ...[body].flat().filter(Boolean));
  }

  loadList();
  draw();
  return { element, draw };
}
