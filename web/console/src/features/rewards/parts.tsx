import { Badge, Group, List, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FLAGS, type EntryState, type Flag } from './api';

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<EntryState, [string, string]> = {
  pending: ['var(--info)', 'var(--info-bg)'],
  held: ['var(--warn)', 'var(--warn-bg)'],
  approved: ['var(--ok)', 'var(--ok-bg)'],
  rejected: ['var(--bad)', 'var(--bad-bg)'],
  in_payout: ['var(--info)', 'var(--info-bg)'],
  paid: ['var(--ok)', 'var(--ok-bg)'],
  payment_failed: ['var(--bad)', 'var(--bad-bg)'],
  not_eligible: ['var(--muted)', 'var(--card)'],
};

export function EntryStateBadge({ state }: { state: EntryState }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[state];
  return (
    // never cut to "ĐÃ DUY…" by a crowded table: the badge keeps its text's width
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background, minWidth: 'max-content' } }}>
      {t(`rewards.state.${state}`)}
    </Badge>
  );
}

/** An entry's fraud flags, each named (its explanation in the flags' legend and as a title). */
export function FlagBadges({ flags }: { flags: readonly Flag[] }) {
  const { t } = useTranslation();
  if (!flags.length) return <>—</>;
  return (
    <Group gap={4}>
      {flags.map((flag) => (
        <Badge
          key={flag}
          variant="outline"
          title={t(`rewards.flag_explain.${flag}`)}
          // a flag's name wraps rather than being cut on a phone
          h="auto"
          styles={{
            root: { color: 'var(--warn)', borderColor: 'var(--warn)', background: 'var(--warn-bg)', textTransform: 'none' },
            label: { whiteSpace: 'normal', overflow: 'visible' },
          }}
        >
          {t(`rewards.flag.${flag}`)}
        </Badge>
      ))}
    </Group>
  );
}

/** What each fraud signal means: an entry with any is held for review, never rejected silently. */
export function FlagLegend() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" role="region" aria-label={t('rewards.flags_title')} data-testid="flag-legend">
      <Text fw={600}>{t('rewards.flags_title')}</Text>
      <Text size="sm" mb="xs">
        {t('rewards.flags_intro')}
      </Text>
      <List size="sm" spacing={4}>
        {FLAGS.map((flag) => (
          <List.Item key={flag}>
            <Text span size="sm" fw={600}>
              {t(`rewards.flag.${flag}`)}
            </Text>
            {': '}
            {t(`rewards.flag_explain.${flag}`)}
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
