import { Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { useSession, type Session } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { Refusal } from './components/Refusal';
import { MENU, mayUse } from './shell/menu';

/** What a lazy screen shows while its chunk loads. */
function Loading() {
  const { t } = useTranslation();
  return <Loader aria-label={t('state.loading')} m="xl" role="status" />;
}

// The signed-in shell (AppShell, menu) and the home page are chunks of their own: the sign-in
// page loads neither.
const Layout = lazy(() => import('./shell/Layout').then((m) => ({ default: m.Layout })));
const HomePage = lazy(() => import('./features/home/HomePage').then((m) => ({ default: m.HomePage })));

// the dashboard's chunk (with ECharts) loads only for the roles that may read it
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));

function LazyDashboard() {
  return (
    <Suspense fallback={<Loading />}>
      <DashboardPage />
    </Suspense>
  );
}

// the dealer funnel's chunk (with ECharts), likewise
const FunnelPage = lazy(() => import('./features/funnel/FunnelPage').then((m) => ({ default: m.FunnelPage })));

function LazyFunnel({ own = false }: { own?: boolean }) {
  return (
    <Suspense fallback={<Loading />}>
      <FunnelPage own={own} />
    </Suspense>
  );
}

/** `/`: the dashboard for the roles that may read it, the list of screens for the others. */
function Home({ session }: { session: Session }) {
  if (mayUse('/dealer', session.roles)) return <Navigate to="/dealer" replace />;
  if (mayUse('/service', session.roles)) return <Navigate to="/service" replace />;
  return mayUse('/dashboard', session.roles) ? (
    <Navigate to="/dashboard" replace />
  ) : (
    <Suspense fallback={<Loading />}>
      <HomePage session={session} />
    </Suspense>
  );
}

function SignedIn({ children }: { children: (session: Session) => React.ReactNode }) {
  const state = useSession();
  return state.status === 'signed_in' ? children(state.session) : null;
}

/** A screen only for the roles its menu item names (the API refuses the others anyway); `also`:
 * another item whose roles reach it too (a request's page is the board's and "my requests'"). */
function ForRolesOf({ path, also }: { path: string; also?: string }) {
  const roles = MENU.filter((item) => item.path === path || item.path === also).flatMap((item) => item.roles);
  return (
    <SignedIn>
      {(session) => (session.roles.some((r) => roles.includes(r)) ? <Outlet /> : <Refusal text="page.forbidden" />)}
    </SignedIn>
  );
}

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireAuth />,
    children: [
      // a ticket's printed sheet: outside the shell, so the printer gets the sheet alone
      {
        path: 'maintenance/tickets/:ticketId/print',
        element: <ForRolesOf path="/maintenance" also="/maintenance/mine" />,
        children: [
          {
            index: true,
            lazy: () => import('./features/maintenance/TicketPrintPage').then((m) => ({ Component: m.TicketPrintPage })),
          },
        ],
      },
      {
        element: (
          <SignedIn>
            {(session) => (
              <Suspense fallback={<Loading />}>
                <Layout session={session} />
              </Suspense>
            )}
          </SignedIn>
        ),
        children: [
          { index: true, element: <SignedIn>{(session) => <Home session={session} />}</SignedIn> },
          {
            path: 'dashboard',
            element: <ForRolesOf path="/dashboard" />,
            // rendered (so loaded) only once ForRolesOf let the role in: a route's `lazy` would
            // load the chunk before the role is checked
            children: [{ index: true, element: <LazyDashboard /> }],
          },
          {
            path: 'messages',
            element: <ForRolesOf path="/messages" />,
            children: [
              // each screen is its own chunk: the sign-in page loads none of them
              {
                index: true,
                lazy: () => import('./features/messages/MessagesPage').then((m) => ({ Component: m.MessagesPage })),
              },
              {
                path: ':messageId',
                lazy: () => import('./features/messages/MessagePage').then((m) => ({ Component: m.MessagePage })),
              },
            ],
          },
          {
            path: 'units',
            element: <ForRolesOf path="/units" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/units/UnitsPage').then((m) => ({ Component: m.UnitsPage })),
              },
              {
                path: ':serial',
                lazy: () => import('./features/units/UnitPage').then((m) => ({ Component: m.UnitPage })),
              },
            ],
          },
          {
            path: 'units/generate',
            element: <ForRolesOf path="/units/generate" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/units/GeneratePage').then((m) => ({ Component: m.GeneratePage })),
              },
            ],
          },
          {
            path: 'labels',
            element: <ForRolesOf path="/labels" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/labels/TemplatesPage').then((m) => ({ Component: m.TemplatesPage })),
              },
              {
                path: 'templates/:name',
                lazy: () => import('./features/labels/TemplatePage').then((m) => ({ Component: m.TemplatePage })),
              },
              {
                path: 'jobs',
                lazy: () => import('./features/labels/JobsPage').then((m) => ({ Component: m.JobsPage })),
              },
              {
                path: 'jobs/new',
                lazy: () => import('./features/labels/NewJobPage').then((m) => ({ Component: m.NewJobPage })),
              },
              {
                path: 'jobs/:jobId',
                lazy: () => import('./features/labels/JobPage').then((m) => ({ Component: m.JobPage })),
              },
            ],
          },
          {
            path: 'customers',
            element: <ForRolesOf path="/customers" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/customers/CustomersPage').then((m) => ({ Component: m.CustomersPage })),
              },
              {
                path: ':customerId',
                lazy: () => import('./features/customers/CustomerPage').then((m) => ({ Component: m.CustomerPage })),
              },
            ],
          },
          {
            path: 'privacy',
            element: <ForRolesOf path="/privacy" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/privacy/PrivacyRequestsPage').then((m) => ({ Component: m.PrivacyRequestsPage })),
              },
            ],
          },
          {
            path: 'partners',
            element: <ForRolesOf path="/partners" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/partners/PartnersPage').then((m) => ({ Component: m.PartnersPage })),
              },
              {
                // admin and director (the page refuses the other readers)
                path: 'new',
                lazy: () => import('./features/partners/NewPartnerPage').then((m) => ({ Component: m.NewPartnerPage })),
              },
              {
                path: ':partnerId',
                lazy: () => import('./features/partners/PartnerPage').then((m) => ({ Component: m.PartnerPage })),
              },
            ],
          },
          {
            path: 'cases',
            element: <ForRolesOf path="/cases" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/cases/CasesPage').then((m) => ({ Component: m.CasesPage })),
              },
              {
                path: ':caseId',
                lazy: () => import('./features/cases/CasePage').then((m) => ({ Component: m.CasePage })),
              },
            ],
          },
          {
            path: 'rewards',
            element: <ForRolesOf path="/rewards" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/rewards/ReconciliationPage').then((m) => ({ Component: m.ReconciliationPage })),
              },
            ],
          },
          {
            path: 'payouts',
            element: <ForRolesOf path="/payouts" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/payouts/PayoutsPage').then((m) => ({ Component: m.PayoutsPage })),
              },
              {
                path: ':batchId',
                lazy: () => import('./features/payouts/PayoutBatchPage').then((m) => ({ Component: m.PayoutBatchPage })),
              },
            ],
          },
          {
            path: 'claim-settings',
            element: <ForRolesOf path="/claim-settings" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/claim-settings/ClaimSettingsPage').then((m) => ({ Component: m.ClaimSettingsPage })),
              },
              {
                path: 'form',
                lazy: () => import('./features/claim-settings/FormBuilderPage').then((m) => ({ Component: m.FormBuilderPage })),
              },
              {
                path: 'help/:code',
                lazy: () => import('./features/claim-settings/HelpPage').then((m) => ({ Component: m.HelpPage })),
              },
            ],
          },
          {
            path: 'maintenance',
            element: <ForRolesOf path="/maintenance" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/TicketsPage').then((m) => ({ Component: m.TicketsPage })),
              },
            ],
          },
          {
            path: 'maintenance/mine',
            element: <ForRolesOf path="/maintenance/mine" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/TicketsPage').then((m) => ({ Component: m.MyTicketsPage })),
              },
            ],
          },
          {
            path: 'maintenance/tickets/:ticketId',
            element: <ForRolesOf path="/maintenance" also="/maintenance/mine" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/TicketPage').then((m) => ({ Component: m.TicketPage })),
              },
            ],
          },
          {
            path: 'maintenance/receivables',
            element: <ForRolesOf path="/maintenance/receivables" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/ReceivablesPage').then((m) => ({ Component: m.ReceivablesPage })),
              },
            ],
          },
          {
            // the warranty reports (issue 17): their chunk (with ECharts) loads only here
            path: 'reports',
            element: <ForRolesOf path="/reports" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/reports/WarrantyReportsPage').then((m) => ({ Component: m.WarrantyReportsPage })),
              },
            ],
          },
          {
            path: 'maintenance/reports',
            element: <ForRolesOf path="/maintenance/reports" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/ReportsPage').then((m) => ({ Component: m.ReportsPage })),
              },
            ],
          },
          {
            path: 'maintenance/stock',
            element: <ForRolesOf path="/maintenance/stock" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/StockPage').then((m) => ({ Component: m.StockPage })),
              },
            ],
          },
          {
            path: 'maintenance/plans',
            element: <ForRolesOf path="/maintenance/plans" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/maintenance/PlansPage').then((m) => ({ Component: m.PlansPage })),
              },
            ],
          },
          {
            path: 'rewards/rules',
            element: <ForRolesOf path="/rewards/rules" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/rewards/RulesPage').then((m) => ({ Component: m.RulesPage })),
              },
            ],
          },
          {
            path: 'imports',
            element: <ForRolesOf path="/imports" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/imports/ImportsPage').then((m) => ({ Component: m.ImportsPage })),
              },
              {
                path: ':importId',
                lazy: () => import('./features/imports/ImportPage').then((m) => ({ Component: m.ImportPage })),
              },
            ],
          },
          {
            path: 'cartons',
            element: <ForRolesOf path="/cartons" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/cartons/CartonsPage').then((m) => ({ Component: m.CartonsPage })),
              },
              {
                path: ':code',
                lazy: () => import('./features/cartons/CartonPage').then((m) => ({ Component: m.CartonPage })),
              },
            ],
          },
          {
            path: 'staff',
            element: <ForRolesOf path="/staff" />,
            children: [
              { index: true, lazy: () => import('./features/staff/StaffPage').then((m) => ({ Component: m.StaffPage })) },
            ],
          },
          {
            path: 'audit',
            element: <ForRolesOf path="/audit" />,
            children: [
              { index: true, lazy: () => import('./features/audit/AuditPage').then((m) => ({ Component: m.AuditPage })) },
            ],
          },
          {
            // every role: one's own password (the user menu)
            path: 'password',
            lazy: () => import('./features/account/PasswordPage').then((m) => ({ Component: m.PasswordPage })),
          },
          {
            path: 'brand',
            element: <ForRolesOf path="/brand" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/catalog/BrandPage').then((m) => ({ Component: m.BrandPage })),
              },
            ],
          },
          {
            path: 'models',
            element: <ForRolesOf path="/models" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/catalog/ModelsPage').then((m) => ({ Component: m.ModelsPage })),
              },
              {
                path: ':code',
                lazy: () => import('./features/catalog/ModelPage').then((m) => ({ Component: m.ModelPage })),
              },
            ],
          },
          {
            path: 'shipments',
            element: <ForRolesOf path="/shipments" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/shipments/ShipmentsPage').then((m) => ({ Component: m.ShipmentsPage })),
              },
              {
                // admin and cs (the API refuses the other readers)
                path: 'new',
                lazy: () => import('./features/shipments/NewShipmentPage').then((m) => ({ Component: m.NewShipmentPage })),
              },
              {
                path: ':shipmentId',
                lazy: () => import('./features/shipments/ShipmentPage').then((m) => ({ Component: m.ShipmentPage })),
              },
            ],
          },
          {
            // like the dashboard's: its chunk (with ECharts) loads only once the role is let in
            path: 'funnel',
            element: <ForRolesOf path="/funnel" />,
            children: [{ index: true, element: <LazyFunnel /> }],
          },
          {
            path: 'dealers',
            element: <ForRolesOf path="/dealers" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/dealers/DealersPage').then((m) => ({ Component: m.DealersPage })),
              },
              {
                // the admin (the page refuses the other readers)
                path: 'new',
                lazy: () => import('./features/dealers/DealerFormPage').then((m) => ({ Component: m.NewDealerPage })),
              },
              {
                path: ':dealerId',
                lazy: () => import('./features/dealers/DealerPage').then((m) => ({ Component: m.DealerPage })),
              },
              {
                path: ':dealerId/edit',
                lazy: () => import('./features/dealers/DealerFormPage').then((m) => ({ Component: m.EditDealerPage })),
              },
            ],
          },
          {
            path: 'dealer',
            element: <ForRolesOf path="/dealer" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/dealer-home/DealerHomePage').then((m) => ({ Component: m.DealerHomePage })),
              },
              {
                path: 'units',
                lazy: () => import('./features/dealer-home/DealerUnitsPage').then((m) => ({ Component: m.DealerUnitsPage })),
              },
              {
                path: 'activations',
                lazy: () =>
                  import('./features/dealer-home/DealerActivationsPage').then((m) => ({ Component: m.DealerActivationsPage })),
              },
              {
                path: 'shipments',
                lazy: () =>
                  import('./features/dealer-home/DealerShipmentsPage').then((m) => ({ Component: m.DealerShipmentsPage })),
              },
              {
                path: 'shipments/:shipmentId',
                lazy: () => import('./features/dealer-home/DealerShipmentPage').then((m) => ({ Component: m.DealerShipmentPage })),
              },
              // the dealer's own funnel (the funnel's chunk, with ECharts, loads only here)
              { path: 'funnel', element: <LazyFunnel own /> },
            ],
          },
          {
            // service requests (issue 15): the desk's board and table, filing one for a caller
            path: 'claims',
            element: <ForRolesOf path="/claims" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/claims/ClaimsPage').then((m) => ({ Component: m.ClaimsBoardPage })),
              },
              {
                path: 'table',
                lazy: () => import('./features/claims/ClaimsPage').then((m) => ({ Component: m.ClaimsTablePage })),
              },
              {
                path: 'new',
                lazy: () => import('./features/claims/NewClaimPage').then((m) => ({ Component: m.NewClaimPage })),
              },
            ],
          },
          {
            path: 'service-centers',
            element: <ForRolesOf path="/service-centers" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/service-centers/CentersPage').then((m) => ({ Component: m.CentersPage })),
              },
              {
                // admin and cs (the page refuses the other readers)
                path: 'new',
                lazy: () => import('./features/service-centers/CenterFormPage').then((m) => ({ Component: m.NewCenterPage })),
              },
              {
                path: ':centerId',
                lazy: () => import('./features/service-centers/CenterPage').then((m) => ({ Component: m.CenterPage })),
              },
              {
                path: ':centerId/edit',
                lazy: () => import('./features/service-centers/CenterFormPage').then((m) => ({ Component: m.EditCenterPage })),
              },
            ],
          },
          {
            // a technician's (or a partner company's user's) own requests, phone first
            path: 'claims/mine',
            element: <ForRolesOf path="/claims/mine" />,
            children: [
              { index: true, lazy: () => import('./features/claims/MinePage').then((m) => ({ Component: m.MinePage })) },
            ],
          },
          {
            path: 'claims/:claimId',
            element: <ForRolesOf path="/claims" also="/claims/mine" />,
            children: [
              { index: true, lazy: () => import('./features/claims/ClaimPage').then((m) => ({ Component: m.ClaimPage })) },
            ],
          },
          {
            path: 'service',
            element: <ForRolesOf path="/service" />,
            children: [
              {
                index: true,
                lazy: () => import('./features/service-home/ServiceHomePage').then((m) => ({ Component: m.ServiceHomePage })),
              },
            ],
          },
          { path: '*', element: <Refusal text="page.not_found" /> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
