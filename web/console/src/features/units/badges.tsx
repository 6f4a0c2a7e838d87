import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<string, [string, string]> = {
  activated: ['var(--ok)', 'var(--ok-bg)'],
  expired: ['var(--warn)', 'var(--warn-bg)'],
  void: ['var(--bad)', 'var(--bad-bg)'],
};
const NEUTRAL: [string, string] = ['var(--muted)', 'var(--card)'];

function Tone({ tone, children }: { tone: string; children: React.ReactNode }) {
  const [ink, background] = TONES[tone] ?? NEUTRAL;
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {children}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tone tone={status}>{t(`units.status.${status}`, { defaultValue: status })}</Tone>;
}

export function WarrantyBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tone tone={status}>{t(`units.warranty.${status}`, { defaultValue: status })}</Tone>;
}
