import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '../../shared/tokens.css';
import './console.css';
import { DatesProvider } from '@mantine/dates';
import { DirectionProvider, MantineProvider, useDirection } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/errors';
import { App } from './App';
import { currentLanguage, directionOf, ready, type Language } from './i18n';
import { useBrandTheme } from './brandTheme';
import { cssVariablesResolver } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // a refusal (4xx) will not change by asking again; a network failure or a 5xx may
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

/** Mantine's direction follows the language (Persian is right to left). */
function Direction() {
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  useEffect(() => {
    setDirection(directionOf(i18n.language as Language));
  }, [i18n.language, setDirection]);
  return null;
}

function Root() {
  const { i18n } = useTranslation();
  const theme = useBrandTheme();
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <DatesProvider settings={{ locale: i18n.language }}>
        <ModalsProvider>
          <Notifications position="bottom-right" />
          <QueryClientProvider client={queryClient}>
            <App />
          </QueryClientProvider>
        </ModalsProvider>
      </DatesProvider>
    </MantineProvider>
  );
}

const root = document.getElementById('root');
// the first language's texts (a chunk of their own) come before the first paint
void ready.then(() => {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <DirectionProvider initialDirection={directionOf(currentLanguage())}>
        <Direction />
        <Root />
      </DirectionProvider>
    </StrictMode>,
  );
});
