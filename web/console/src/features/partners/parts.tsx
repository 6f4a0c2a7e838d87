import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PartnerStatus } from './api';

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<PartnerStatus, [string, string]> = {
  pending: ['var(--warn)', 'var(--warn-bg)'],
  approved: ['var(--ok)', 'var(--ok-bg)'],
  suspended: ['var(--bad)', 'var(--bad-bg)'],
  rejected: ['var(--muted)', 'var(--card)'],
};

export function PartnerStatusBadge({ status }: { status: PartnerStatus }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`partners.status.${status}`)}
    </Badge>
  );
}
