import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { useSession, type Role } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { HomePage } from './features/home/HomePage';
import { Layout } from './shell/Layout';
import { MENU } from './shell/menu';

function SignedIn({ children }: { children: (session: { username: string; roles: Role[]; token: string }) => React.ReactNode }) {
  const state = useSession();
  return state.status === 'signed_in' ? children(state.session) : null;
}

function Refusal({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t(text)}
      </Title>
      <Alert color="yellow" role="status" title={t(`${text}_detail`)} />
    </Stack>
  );
}

/** A screen only for the roles its menu item names (the API refuses the others anyway). */
function ForRolesOf({ path }: { path: string }) {
  const roles = MENU.find((item) => item.path === path)?.roles ?? [];
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
      {
        element: <SignedIn>{(session) => <Layout session={session} />}</SignedIn>,
        children: [
          { index: true, element: <SignedIn>{(session) => <HomePage session={session} />}</SignedIn> },
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
          { path: '*', element: <Refusal text="page.not_found" /> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
