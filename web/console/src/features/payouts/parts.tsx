import { Badge, Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatVnd } from '../format';
import type { BatchState, LineState } from './api';

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<BatchState | LineState, [string, string]> = {
  creating: ['var(--warn)', 'var(--warn-bg)'],
  open: ['var(--warn)', 'var(--warn-bg)'],
  exported: ['var(--warn)', 'var(--warn-bg)'],
  closed: ['var(--ok)', 'var(--ok-bg)'],
  planned: ['var(--muted)', 'var(--card)'],
  pending: ['var(--warn)', 'var(--warn-bg)'],
  paid: ['var(--ok)', 'var(--ok-bg)'],
  failed: ['var(--bad)', 'var(--bad-bg)'],
  dropped: ['var(--muted)', 'var(--card)'],
};

export function StateBadge({ state, kind }: { state: BatchState | LineState; kind: 'batch' | 'line' }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[state];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`payouts.${kind}_state.${state}`)}
    </Badge>
  );
}

/** Gross, tax withheld and net of a batch or a preview, with how many lines and entries. */
export function Totals({ totals }: { totals: { lines: number; entries: number; gross: number; tax: number; net: number } }) {
  const { t } = useTranslation();
  const cells: [string, string][] = [
    [t('payouts.lines'), String(totals.lines)],
    [t('payouts.entries'), String(totals.entries)],
    [t('payouts.gross'), formatVnd(totals.gross)],
    [t('payouts.tax'), formatVnd(totals.tax)],
    [t('payouts.net'), formatVnd(totals.net)],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }} data-testid="payout-totals">
      {cells.map(([label, value]) => (
        <Paper key={label} withBorder p="sm">
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Text size="lg">{value}</Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
