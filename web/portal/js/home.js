// /: what the portal is for; /contact: the brand's hotline and addresses; anything else: 404.
import { h, safeUrl, telHref } from '/shared/js/dom.js';
import { t } from '/shared/js/i18n.js';
import { brandText, sectionOn, settings, setTitle } from './shell.js';

export function home() {
  return function draw() {
    setTitle('');
    const menu = [];
    if (sectionOn('lookup')) menu.push(['/lookup', 'nav.lookup', 'home.lookup']);
    if (sectionOn('my_products')) menu.push(['/my', 'nav.my', 'home.my']);
    menu.push(['/verify', 'nav.verify', 'home.verify']);
    if (sectionOn('contact')) menu.push(['/contact', 'nav.contact', 'home.contact']);
    menu.push(['/partner', 'nav.partner', 'home.partner']);
    return [
      h('h1', { tabindex: '-1' }, brandText('home.title')),
      h('p', null, t('home.intro')),
      sectionOn('activate') ? h('section', { class: 'card', 'aria-labelledby': 'how-title' },
        h('h2', { id: 'how-title' }, t('home.how')),
        h('ol', { class: 'steps' },
          h('li', null, t('home.step_scan')),
          h('li', null, t('home.step_check')),
          h('li', null, t('home.step_activate')))) : null,
      h('nav', { 'aria-label': t('home.menu') },
        h('ul', { class: 'menu' }, menu.map(([href, title, text]) => h('li', null,
          h('a', { href }, h('strong', null, t(title)), t(text)))))),
    ];
  };
}

export function contact() {
  return function draw() {
    setTitle(t('nav.contact'));
    const brand = settings.brand;
    const website = safeUrl(brand.website);
    const email = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(brand.email) ? brand.email : '';
    const tel = telHref(brand.hotline);
    return [
      h('h1', { tabindex: '-1' }, t('contact.title')),
      h('p', null, brandText('contact.intro')),
      h('section', { class: 'card', 'aria-labelledby': 'hotline-title' },
        h('h2', { id: 'hotline-title' }, t('contact.hotline')),
        tel ? [
          h('p', { class: 'big' }, h('a', { href: tel, id: 'hotline' }, brand.hotline)),
          h('p', { class: 'hint' }, t('contact.hotline_hint')),
          h('a', { class: 'btn block', href: tel }, t('contact.call', { hotline: brand.hotline })),
        ] : h('p', null, t('contact.no_hotline'))),
      email || website ? h('section', { class: 'card', 'aria-labelledby': 'other-title' },
        h('h2', { id: 'other-title' }, t('contact.other')),
        h('dl', { class: 'specs' },
          email ? [h('dt', null, t('contact.email')), h('dd', null, h('a', { href: `mailto:${email}` }, email))] : null,
          website ? [h('dt', null, t('contact.website')), h('dd', null, h('a', { href: website, rel: 'noopener' }, website))] : null)) : null,
    ];
  };
}

export function notfound() {
  return function draw() {
    setTitle(t('notfound.title'));
    return [
      h('h1', { tabindex: '-1' }, t('notfound.title')),
      h('p', null, t('notfound.text')),
      h('a', { class: 'btn', href: '/' }, t('nav.home')),
    ];
  };
}
