import { Paper, Text } from '@mantine/core';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BrandRequest } from './api';

/** What the portal's ``GET /public/settings`` would say once this brand is saved. */
function portalSettings(brand: BrandRequest) {
  const { theme } = brand;
  return {
    brand: {
      name: brand.name,
      logo_url: theme.logo_url,
      colors: { primary: theme.primary, on_primary: theme.on_primary, accent: theme.accent },
      hotline: theme.hotline,
      email: theme.email,
      website: theme.website,
    },
    sections: theme.sections,
    activation: { confirm_phone: brand.confirm_phone },
    languages: ['vi', 'en'],
  };
}

/** The real portal's home page in a frame (``/?preview``), drawn with the unsaved brand: each
 * change is sent to it by postMessage (to the portal's origin only), and again when it says it
 * is ready (a reload of the frame). */
export function PortalPreview({ portalUrl, brand }: { portalUrl: string; brand: BrandRequest }) {
  const { t, i18n } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const origin = new URL(portalUrl).origin;
  const language = i18n.language === 'en' ? 'en' : 'vi';

  const send = useCallback(() => {
    frame.current?.contentWindow?.postMessage(
      { type: 'garanti:preview', language, settings: portalSettings(brand) },
      origin,
    );
  }, [brand, language, origin]);

  useEffect(() => {
    send();
  }, [send]);

  useEffect(() => {
    const ready = (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown } | null;
      if (event.origin === origin && event.source === frame.current?.contentWindow && data?.type === 'garanti:preview-ready') {
        send();
      }
    };
    window.addEventListener('message', ready);
    return () => {
      window.removeEventListener('message', ready);
    };
  }, [origin, send]);

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Text size="sm" fw={600} px="sm" py={6} bg="var(--info-bg)">
        {t('brand.preview')}
      </Text>
      <iframe
        ref={frame}
        src={`${portalUrl}/?preview=1`}
        title={t('brand.preview_title')}
        data-testid="portal-preview"
        style={{ display: 'block', width: '100%', height: 560, border: 0 }}
      />
    </Paper>
  );
}
