import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseStatus } from './api';

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<CaseStatus, [string, string]> = {
  open: ['var(--warn)', 'var(--warn-bg)'],
  answered: ['var(--ok)', 'var(--ok-bg)'],
  closed: ['var(--muted)', 'var(--card)'],
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`cases.status.${status}`)}
    </Badge>
  );
}
