import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { refresh, useSession } from './session';

/** `/messages?status=failed` → `/sign-in?next=%2Fmessages%3Fstatus%3Dfailed`. */
export function signInPathFor(path: string): string {
  return `/sign-in?next=${encodeURIComponent(path)}`;
}

/** The signed-in part of the console: restores a session after a reload, else sends the user
 * to sign in and back to this very page afterwards. */
export function RequireAuth() {
  const state = useSession();
  const location = useLocation();
  const { t } = useTranslation();

  useEffect(() => {
    if (state.status === 'restoring') void refresh();
  }, [state.status]);

  if (state.status === 'restoring') {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label={t('state.loading')} />
      </Center>
    );
  }
  if (state.status === 'signed_out' && state.byUser) return <Navigate to="/sign-in" replace />;
  if (state.status !== 'signed_in') {
    return <Navigate to={signInPathFor(location.pathname + location.search)} replace />;
  }
  return <Outlet />;
}
