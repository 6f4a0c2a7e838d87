import { Badge, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Refusal, Shipment, ShipmentStatus, ShipmentSummary } from './api';

const COLORS: Record<ShipmentStatus, string> = {
  draft: 'blue',
  confirming: 'yellow',
  confirmed: 'green',
  cancelled: 'gray',
};

export function ShipmentStatusBadge({ status }: { status: ShipmentStatus }) {
  const { t } = useTranslation();
  // dark text on the light variant: AA contrast on every colour
  return (
    <Badge color={COLORS[status]} variant="light" c="dark">
      {t(`shipments.status.${status}`)}
    </Badge>
  );
}

/** The counts by model, as the scans added them (a table: read aloud as one); `caption` says
 * what they count when it is not the scans (a dealer's units). */
export function ModelCounts({ shipment, caption }: { shipment: Pick<Shipment, 'counts' | 'total'>; caption?: string }) {
  const { t } = useTranslation();
  if (shipment.counts.length === 0) return <Text c="dimmed">{t('shipments.no_scans')}</Text>;
  return (
    <Table data-testid="model-counts" withTableBorder striped>
      <Table.Caption>{caption ?? t('shipments.counts_caption', { total: shipment.total })}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('shipments.model')}</Table.Th>
          <Table.Th scope="col" style={{ textAlign: 'end' }}>
            {t('shipments.count')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shipment.counts.map((row) => (
          <Table.Tr key={row.model_code}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.model_code}</Table.Td>
            <Table.Td style={{ textAlign: 'end' }}>{row.count}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Refused units with their reasons, as the API words them. */
export function RefusedList({ refused, testId }: { refused: Refusal[]; testId: string }) {
  return (
    <ul data-testid={testId} style={{ margin: 0, paddingInlineStart: '1.2rem' }}>
      {refused.map((r) => (
        <li key={`${r.serial}-${r.code}`}>
          <strong style={{ fontFamily: 'var(--mantine-font-family-monospace)', whiteSpace: 'nowrap' }}>{r.serial}</strong>: {r.message}
        </li>
      ))}
    </ul>
  );
}

/** A list row's units in words that cannot be misread: a draft's scans, a confirmation's
 * progress, what a confirmed shipment shipped (and got back), what a cancellation sent back to
 * stock and left with the dealer. */
export function unitsCount(s: ShipmentSummary, t: TFunction): string {
  switch (s.status) {
    case 'draft':
      return t('shipments.units_draft', { total: s.total });
    case 'confirming':
      return t('shipments.units_confirming', { shipped: s.shipped, total: s.total });
    case 'confirmed':
      return shippedCount(s, false, t);
    case 'cancelled':
      return s.shipped === 0 ? t('shipments.units_cancelled_draft', { total: s.total }) : shippedCount(s, true, t);
  }
}

/** What a shipment that shipped units did with them: shipped (and given back), or, cancelled,
 * back in stock and left with the dealer (the dealer's own list says the same). */
export function shippedCount(s: Pick<ShipmentSummary, 'shipped' | 'returned' | 'kept'>, cancelled: boolean, t: TFunction): string {
  if (cancelled) return t('shipments.units_cancelled', { back: s.shipped - s.returned - s.kept, kept: s.kept, returned: s.returned });
  return s.returned > 0
    ? t('shipments.units_confirmed_returned', { shipped: s.shipped, returned: s.returned })
    : t('shipments.units_confirmed', { shipped: s.shipped });
}
