import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// The shared tokens' state colours (text over its own background, AA at badge size); Mantine's
// green and red badges are under 4.5:1.
const TONES: Record<string, [string, string]> = {
  delivered: ['var(--ok)', 'var(--ok-bg)'],
  accepted: ['var(--ok)', 'var(--ok-bg)'],
  failed: ['var(--bad)', 'var(--bad-bg)'],
  unknown: ['var(--warn)', 'var(--warn-bg)'],
};
const NEUTRAL: [string, string] = ['var(--muted)', 'var(--card)'];

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status] ?? NEUTRAL;
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`message.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** The recipient said "not me": the activation this message confirmed is to be reviewed. */
export function DisputedBadge() {
  const { t } = useTranslation();
  return (
    <Badge
      variant="outline"
      title={t('message.disputed')}
      styles={{ root: { color: 'var(--warn)', borderColor: 'var(--warn)', background: 'var(--warn-bg)' } }}
    >
      {t('message.disputed_short')}
    </Badge>
  );
}
