import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DealerStatus } from './api';

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<DealerStatus, [string, string]> = {
  active: ['var(--ok)', 'var(--ok-bg)'],
  suspended: ['var(--bad)', 'var(--bad-bg)'],
  closed: ['var(--muted)', 'var(--card)'],
};

export function DealerStatusBadge({ status }: { status: DealerStatus }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`dealers.status.${status}`)}
    </Badge>
  );
}

export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}
