import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime, formatDay } from '../format';
import { ModelCounts, ShipmentStatusBadge, shippedCount } from '../shipments/parts';
import { useDealerShipment, useExportDealerShipment, type DealerShipment, type DealerShipmentUnit } from './api';

const UNITS_SHOWN = 200;
const CODE_STYLE = { fontFamily: 'var(--mantine-font-family-monospace)', whiteSpace: 'nowrap' } as const;

function Facts({ shipment }: { shipment: DealerShipment }) {
  const { t } = useTranslation();
  const facts: [string, string][] = [
    [t('shipments.ship_date'), formatDay(shipment.ship_date)],
    [t('shipments.units'), shippedCount(shipment, shipment.status === 'cancelled', t)],
  ];
  if (shipment.cancelled_at) facts.push([t('dealer_home.cancelled_at'), formatDateTime(shipment.cancelled_at)]);
  else if (shipment.confirmed_at) facts.push([t('dealer_home.confirmed_at'), formatDateTime(shipment.confirmed_at)]);
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {facts.map(([label, value]) => (
          <div key={label}>
            <Text size="sm" fw={600}>
              {label}
            </Text>
            <Text style={{ overflowWrap: 'anywhere' }}>{value}</Text>
          </div>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

/** The shipment's units as they are now, three narrow columns (a carton under its serial): at
 * 360 px the table fits, nothing scrolls sideways. */
function Units({ units }: { units: DealerShipmentUnit[] }) {
  const { t } = useTranslation();
  if (units.length === 0) return null;
  return (
    <Stack gap="xs">
      <Table data-testid="dealer-shipment-units" striped withTableBorder layout="fixed">
        <Table.Caption>{t('shipments.units_caption', { count: units.length })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="42%">
              {t('shipments.serial')}
            </Table.Th>
            <Table.Th scope="col" w="22%">
              {t('shipments.model')}
            </Table.Th>
            <Table.Th scope="col">{t('shipments.unit_status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {units.slice(0, UNITS_SHOWN).map((unit) => (
            <Table.Tr key={unit.serial}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Text span size="sm" style={CODE_STYLE}>
                  {unit.serial}
                </Text>
                {unit.carton && (
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {t('shipments.carton')} {unit.carton}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{unit.model_code}</Table.Td>
              <Table.Td>{t(`shipments.unit_status.${unit.status}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {units.length > UNITS_SHOWN && <Text size="sm">{t('shipments.units_more', { shown: UNITS_SHOWN, count: units.length })}</Text>}
    </Stack>
  );
}

/** One of the dealer's shipments: its delivery note, day and status, the counts by model, the
 * units with their state now, and its Excel file. */
export function DealerShipmentPage() {
  const { t } = useTranslation();
  const { shipmentId = '' } = useParams();
  const found = useDealerShipment(shipmentId);
  const excel = useExportDealerShipment(shipmentId);
  const data = found.data;
  return (
    <Stack>
      <Anchor component={Link} to="/dealer/shipments">
        {t('dealer_home.shipments_back')}
      </Anchor>
      <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
        {data ? t('shipments.heading', { document: data.shipment.document_number }) : t('dealer_home.shipments')}
      </Title>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {data && (
        <>
          <Group gap="xs">
            <ShipmentStatusBadge status={data.shipment.status} />
          </Group>
          <Facts shipment={data.shipment} />
          <Title order={2} size="h3">
            {t('shipments.counts')}
          </Title>
          <ModelCounts
            shipment={{ counts: data.shipment.counts, total: data.units.length }}
            caption={t('shipments.units_caption', { count: data.units.length })}
          />
          <Group gap="sm">
            <Button
              variant="default"
              loading={excel.isPending}
              onClick={() => {
                excel.mutate(undefined, {
                  onSuccess: (file) => {
                    window.location.assign(file.url);
                  },
                });
              }}
            >
              {t('shipments.excel')}
            </Button>
          </Group>
          {excel.isError && <Alert color="red" role="alert" title={excel.error.message} />}
          <Title order={2} size="h3">
            {t('shipments.units')}
          </Title>
          <Units units={data.units} />
        </>
      )}
    </Stack>
  );
}
