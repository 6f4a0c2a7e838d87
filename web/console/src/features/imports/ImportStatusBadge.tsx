import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// The shared tokens' state colours (AA at badge size), as the messages' badges.
const TONES: Record<string, [string, string]> = {
  done: ['var(--ok)', 'var(--ok-bg)'],
  failed: ['var(--bad)', 'var(--bad-bg)'],
  running: ['var(--warn)', 'var(--warn-bg)'],
};
const NEUTRAL: [string, string] = ['var(--muted)', 'var(--card)'];

export function ImportStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status] ?? NEUTRAL;
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`imports.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
