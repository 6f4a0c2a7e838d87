import type { Role } from '../auth/session';

export interface MenuItem {
  path: string;
  label: string; // a catalogue key
  roles: readonly Role[]; // who sees it (the API still checks every call)
}

/** The screens that exist, each shown only to the roles whose calls the API accepts. */
export const MENU: readonly MenuItem[] = [
  // the roles with a dashboard land on it (`/` leads there): one entry, not two for one screen
  { path: '/dashboard', label: 'nav.dashboard', roles: ['admin', 'cs', 'director', 'accountant'] },
  { path: '/', label: 'nav.home', roles: ['technician'] },
  { path: '/messages', label: 'nav.messages', roles: ['admin', 'cs', 'director', 'accountant'] },
  { path: '/units', label: 'nav.units', roles: ['admin', 'cs', 'technician', 'director'] },
  { path: '/units/generate', label: 'nav.units_generate', roles: ['admin'] },
  { path: '/labels', label: 'labels.nav', roles: ['admin', 'director'] },
  { path: '/customers', label: 'customers.nav', roles: ['admin', 'cs', 'director'] },
  // customers' personal-data requests (issue 17): admin and cs handle them, the director follows
  { path: '/privacy', label: 'privacy.nav', roles: ['admin', 'cs', 'director'] },
  { path: '/partners', label: 'partners.nav', roles: ['admin', 'director', 'cs', 'accountant'] },
  // cs reads a month's entries; the totals, the export and the rules are the managers' and
  // the accountant's (the API's guards)
  { path: '/rewards', label: 'rewards.nav', roles: ['admin', 'director', 'accountant', 'cs'] },
  { path: '/rewards/rules', label: 'rewards.rules_nav', roles: ['admin', 'director', 'accountant'] },
  // technicians answer service cases only (the API keeps complaints from them)
  { path: '/cases', label: 'cases.nav', roles: ['admin', 'cs', 'technician', 'director'] },
  { path: '/payouts', label: 'payouts.nav', roles: ['admin', 'accountant', 'director'] },
  // the dealer funnel (issue 14): the dashboard's readers
  { path: '/funnel', label: 'nav.funnel', roles: ['admin', 'director', 'cs', 'accountant'] },
  // the warranty reports (issue 17): the dashboard's readers
  { path: '/reports', label: 'wreports.nav', roles: ['admin', 'director', 'cs', 'accountant'] },
  { path: '/imports', label: 'imports.nav', roles: ['admin'] },
  // admin and cs pack; the director and technicians look (the API's guards)
  { path: '/cartons', label: 'cartons.nav', roles: ['admin', 'cs', 'director', 'technician'] },
  // the brand's centres and the partner service companies (issue 15): admin and cs write, the
  // director and the accountant read (the API lets technicians read too: routing, not a screen)
  { path: '/service-centers', label: 'centers.nav', roles: ['admin', 'cs', 'director', 'accountant'] },
  { path: '/staff', label: 'nav.staff', roles: ['admin'] },
  { path: '/audit', label: 'nav.audit', roles: ['admin', 'director'] },
  // GET /brand is open to every staff role, but only an admin may change it: the screen is an
  // editor, so only admins have it
  { path: '/brand', label: 'nav.brand', roles: ['admin'] },
  { path: '/models', label: 'nav.models', roles: ['admin', 'cs', 'technician', 'accountant', 'director'] },
  // what a service request asks per model or category, and each model's self-help (issue 15)
  { path: '/claim-settings', label: 'claim_settings.nav', roles: ['admin', 'cs'] },
  // maintenance (issue 16): the desk's tickets and due list (the director and the accountant
  // read); a technician's or a partner company's own visits
  { path: '/maintenance', label: 'tickets.nav', roles: ['admin', 'cs', 'director', 'accountant'] },
  { path: '/maintenance/mine', label: 'tickets.mine_nav', roles: ['technician', 'service'] },
  { path: '/maintenance/plans', label: 'maintenance.nav', roles: ['admin', 'cs', 'director'] },
  // maintenance receivables and the month's close (issue 16): the accountant and the admin;
  // the director reads
  { path: '/maintenance/receivables', label: 'receivables.nav', roles: ['admin', 'accountant', 'director'] },
  // spare parts (issue 16): the keepers (admin, cs, the accountant) write; the director and
  // technicians read
  { path: '/maintenance/stock', label: 'stock.nav', roles: ['admin', 'cs', 'accountant', 'director', 'technician'] },
  // maintenance reports (issue 16): revenue by month, parts' usage, services by product
  { path: '/maintenance/reports', label: 'mreports.nav', roles: ['admin', 'cs', 'accountant', 'director'] },
  // admin and cs ship out (scan, confirm, cancel, returns); the director and the accountant read
  { path: '/shipments', label: 'shipments.nav', roles: ['admin', 'cs', 'director', 'accountant'] },
  { path: '/dealers', label: 'dealers.nav', roles: ['admin', 'director', 'cs', 'accountant'] },
  // service requests (issue 15): the desk works the board; the accountant reads (costs)
  { path: '/claims', label: 'claims.nav', roles: ['admin', 'cs', 'director', 'accountant'] },
  // the requests assigned to a technician, or sent to a partner company (its users' only entry)
  { path: '/claims/mine', label: 'claims.mine_nav', roles: ['technician', 'service'] },
  // a dealer's user sees its own dealer's screens only (`/` leads to its home)
  { path: '/dealer', label: 'dealer_home.nav', roles: ['dealer'] },
  { path: '/dealer/units', label: 'dealer_home.units', roles: ['dealer'] },
  { path: '/dealer/activations', label: 'dealer_home.activations', roles: ['dealer'] },
  { path: '/dealer/shipments', label: 'dealer_home.shipments', roles: ['dealer'] },
  { path: '/dealer/funnel', label: 'nav.dealer_funnel', roles: ['dealer'] },
  // a partner service company's user: its company's home (`/` leads there); its requests are
  // the claims screens' own
  { path: '/service', label: 'service_home.nav', roles: ['service'] },
];

/** The users of an outside organisation (a dealer's, a service company's): not the brand's
 * staff, so not its back office's title nor its `GET /brand`. */
export const OUTSIDERS: readonly Role[] = ['dealer', 'service'];

/** The one outside organisation's role a user has, if that is all it has. */
export function outsiderRole(roles: readonly Role[]): Role | undefined {
  return OUTSIDERS.find((role) => roles.length > 0 && roles.every((r) => r === role));
}

export function menuFor(roles: readonly Role[]): MenuItem[] {
  return MENU.filter((item) => item.roles.some((role) => roles.includes(role)));
}

export function mayUse(path: string, roles: readonly Role[]): boolean {
  return menuFor(roles).some((item) => item.path === path);
}

/** The menu item the page at ``pathname`` belongs to: the longest path that contains it
 * (`/units/generate` is its own item, `/units/ABC123` belongs to `/units`). */
export function currentItem(pathname: string, items: readonly MenuItem[]): MenuItem | undefined {
  return items
    .filter((item) => (item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
