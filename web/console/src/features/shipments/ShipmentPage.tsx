import { scrollable } from '../../components/scrollable';
import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { ScanInput } from '../../components/ScanInput';
import { formatDateTime, formatDay } from '../format';
import {
  SHIPMENT_WRITERS,
  useCancelShipment,
  useConfirm,
  useExportShipment,
  useRemoveScan,
  useReturnUnits,
  useScan,
  useShipment,
  type Refusal,
  type ScanOutcome,
  type Shipment,
  type ShipmentUnit,
} from './api';
import { ModelCounts, RefusedList, ShipmentStatusBadge } from './parts';

const UNITS_SHOWN = 200;

function Facts({ shipment }: { shipment: Shipment }) {
  const { t } = useTranslation();
  const facts: [string, string][] = [
    [t('shipments.dealer'), `${shipment.dealer.code} · ${shipment.dealer.name}`],
    [t('shipments.ship_date'), formatDay(shipment.ship_date)],
    [t('shipments.created_by'), `${shipment.created_by} · ${formatDateTime(shipment.created_at)}`],
  ];
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

/** A carton's code as printed under its barcode: an SSCC (18 digits) after its "(00)", else the
 * manufacturer's own code. */
function cartonCode(code: string): string {
  return /^\d{18}$/.test(code) ? `(00)${code}` : code;
}

/** What the last scan did: added units (a carton's said so), a repeated scan's notice, refusals
 * with their reason. */
function LastScan({ outcome }: { outcome: ScanOutcome | null }) {
  const { t } = useTranslation();
  return (
    <div role="status" aria-live="polite" data-testid="last-scan">
      {outcome?.added.length ? (
        <Alert
          color="green"
          title={
            outcome.kind === 'carton'
              ? t('shipments.scan_added_carton', { count: outcome.added.length, code: cartonCode(outcome.code) })
              : t('shipments.scan_added', { count: outcome.added.length, code: outcome.code })
          }
        />
      ) : null}
      {outcome?.duplicate ? <Alert color="yellow" title={outcome.notice ?? t('shipments.scan_duplicate')} data-testid="scan-duplicate" /> : null}
      {outcome?.refused.length ? (
        <Alert color="red" title={t('shipments.scan_refused', { count: outcome.refused.length })} data-testid="scan-refused">
          <RefusedList refused={outcome.refused} testId="scan-refusals" />
        </Alert>
      ) : null}
    </div>
  );
}

/** Every scan refused in this session (not only the last), latest first, until the page is left. */
function SessionRefusals({ refused }: { refused: Refusal[] }) {
  const { t } = useTranslation();
  if (refused.length === 0) return null;
  return (
    <Paper withBorder p="sm">
      <Title order={2} size="h4">
        {t('shipments.session_refused', { count: refused.length })}
      </Title>
      <RefusedList refused={refused} testId="session-refusals" />
    </Paper>
  );
}


/** A serial or carton code: monospace, never broken across lines. */
const CODE_STYLE = { fontFamily: 'var(--mantine-font-family-monospace)', whiteSpace: 'nowrap' } as const;

function UnitsTable({
  units,
  onRemove,
  removing,
}: {
  units: ShipmentUnit[];
  onRemove?: (serial: string) => void;
  removing?: boolean;
}) {
  const { t } = useTranslation();
  if (units.length === 0) return null;
  const cartons = units.some((u) => u.carton);
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={0} scrollAreaProps={scrollable(t('shipments.units_caption', { count: units.length }))}>
        <Table data-testid="shipment-units" striped withTableBorder>
          <Table.Caption>{t('shipments.units_caption', { count: units.length })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('shipments.serial')}</Table.Th>
              <Table.Th scope="col">{t('shipments.model')}</Table.Th>
              {cartons && <Table.Th scope="col">{t('shipments.carton')}</Table.Th>}
              <Table.Th scope="col">{t('shipments.unit_status')}</Table.Th>
              {onRemove && (
                <Table.Th scope="col">
                  <VisuallyHidden>{t('shipments.remove')}</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {units.slice(0, UNITS_SHOWN).map((unit) => (
              <Table.Tr key={unit.serial}>
                <Table.Td style={CODE_STYLE}>{unit.serial}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{unit.model_code}</Table.Td>
                {cartons && <Table.Td style={CODE_STYLE}>{unit.carton ? cartonCode(unit.carton) : ''}</Table.Td>}
                <Table.Td>{t(`shipments.unit_status.${unit.status}`)}</Table.Td>
                {onRemove && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      disabled={removing}
                      aria-label={t('shipments.remove_serial', { serial: unit.serial })}
                      onClick={() => {
                        onRemove(unit.serial);
                      }}
                    >
                      {t('shipments.remove')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {units.length > UNITS_SHOWN && <Text size="sm">{t('shipments.units_more', { shown: UNITS_SHOWN, count: units.length })}</Text>}
    </Stack>
  );
}

/** A cancellation asked first, in a dialog whose confirming button is the destructive red. */
function confirmCancel(action: string, question: string, keep: string, onConfirm: () => void) {
  modals.openConfirmModal({
    title: action,
    children: <Text>{question}</Text>,
    labels: { confirm: action, cancel: keep },
    confirmProps: { color: 'red' },
    closeButtonProps: { 'aria-label': keep },
    onConfirm,
  });
}

/** The ship-out screen: scan into the draft (scanner or camera), counts by model as you scan,
 * then confirm with its progress and the refused list. */
function ShipOut({ shipment, units, mayWrite }: { shipment: Shipment; units: ShipmentUnit[]; mayWrite: boolean }) {
  const { t } = useTranslation();
  const scan = useScan(shipment.shipment_id);
  const remove = useRemoveScan(shipment.shipment_id);
  const confirm = useConfirm(shipment.shipment_id);
  const cancel = useCancelShipment(shipment.shipment_id);
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const onScan = useCallback(
    (code: string) => {
      scan.mutate(code, {
        onSuccess: (body) => {
          setOutcome(body.scan);
          setRefusals((earlier) => [
            ...body.scan.refused,
            ...earlier.filter((r) => !body.scan.refused.some((n) => n.serial === r.serial && n.code === r.code)),
          ]);
        },
      });
    },
    [scan],
  );
  const busy = confirm.isPending || cancel.isPending;
  return (
    <Stack>
      {mayWrite && <ScanInput label={t('shipments.scan_label')} description={t('shipments.scan_hint')} onScan={onScan} disabled={busy} />}
      {scan.isError && <Alert color="red" role="alert" title={scan.error.message} />}
      <LastScan outcome={outcome} />
      <SessionRefusals refused={refusals} />
      <Title order={2} size="h3">
        {t('shipments.counts')}
      </Title>
      <ModelCounts shipment={shipment} />
      {mayWrite && (
        <Group gap="sm">
          <Button
            loading={confirm.isPending}
            disabled={shipment.total === 0 || cancel.isPending}
            onClick={() => {
              confirm.mutate(undefined);
            }}
          >
            {t('shipments.confirm', { count: shipment.total })}
          </Button>
          <Button
            variant="light"
            color="red"
            disabled={busy}
            onClick={() => {
              confirmCancel(t('shipments.cancel_draft'), t('shipments.cancel_draft_confirm'), t('shipments.keep'), () => {
                cancel.mutate(undefined);
              });
            }}
          >
            {t('shipments.cancel_draft')}
          </Button>
        </Group>
      )}
      {confirm.isPending && (
        <Text role="status" data-testid="confirm-progress">
          {t('shipments.confirming', { shipped: confirm.progress?.shipped ?? 0, total: shipment.total })}
        </Text>
      )}
      {confirm.isError && <Alert color="red" role="alert" title={confirm.error.message} />}
      {cancel.isError && <Alert color="red" role="alert" title={cancel.error.message} />}
      {remove.isError && <Alert color="red" role="alert" title={remove.error.message} />}
      <Title order={2} size="h3">
        {t('shipments.scanned')}
      </Title>
      <UnitsTable
        units={units}
        removing={remove.isPending}
        onRemove={
          mayWrite
            ? (serial) => {
                remove.mutate(serial);
              }
            : undefined
        }
      />
    </Stack>
  );
}

/** Serials scanned back from the dealer, then returned in one call. */
function Returns({ shipmentId }: { shipmentId: string }) {
  const { t } = useTranslation();
  const [serials, setSerials] = useState<string[]>([]);
  const returning = useReturnUnits(shipmentId);
  const onScan = useCallback((code: string) => {
    setSerials((current) => (current.includes(code.toUpperCase()) ? current : [...current, code.toUpperCase()]));
  }, []);
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h3">
          {t('shipments.returns')}
        </Title>
        <ScanInput label={t('shipments.return_scan')} onScan={onScan} disabled={returning.isPending} />
        {serials.length > 0 && (
          <Group gap="xs" data-testid="return-serials">
            {serials.map((serial) => (
              <Text key={serial} span style={CODE_STYLE}>
                {serial}
              </Text>
            ))}
          </Group>
        )}
        <Group>
          <Button
            variant="default"
            disabled={serials.length === 0}
            loading={returning.isPending}
            onClick={() => {
              returning.mutate(serials, {
                onSuccess: () => {
                  setSerials([]);
                },
              });
            }}
          >
            {t('shipments.return', { count: serials.length })}
          </Button>
        </Group>
        {returning.data && (
          <Alert color={returning.data.refused.length ? 'yellow' : 'green'} role="status" title={t('shipments.returned', { count: returning.data.returned.length })}>
            {returning.data.refused.length > 0 && <RefusedList refused={returning.data.refused} testId="return-refusals" />}
          </Alert>
        )}
        {returning.isError && <Alert color="red" role="alert" title={returning.error.message} />}
      </Stack>
    </Paper>
  );
}

/** A confirmed (or cancelled) shipment: what was shipped, refused, kept and returned; its units,
 * the Excel file, the cancellation and the returns. */
function Shipped({ shipment, units, mayWrite }: { shipment: Shipment; units: ShipmentUnit[]; mayWrite: boolean }) {
  const { t } = useTranslation();
  const cancel = useCancelShipment(shipment.shipment_id);
  const excel = useExportShipment(shipment.shipment_id);
  const refused = shipment.progress.refused;
  return (
    <Stack>
      <Text data-testid="shipment-outcome">
        {shipment.status === 'cancelled'
          ? t('shipments.outcome_cancelled', {
              shipped: shipment.progress.shipped,
              back: shipment.progress.shipped - shipment.returned - shipment.kept.length,
              kept: shipment.kept.length,
              returned: shipment.returned,
            })
          : t('shipments.outcome', { shipped: shipment.progress.shipped, refused: refused.length, returned: shipment.returned })}
      </Text>
      {refused.length > 0 && (
        <Alert color="yellow" title={t('shipments.refused_title', { count: refused.length })} data-testid="confirm-refused">
          <RefusedList refused={refused} testId="confirm-refusals" />
        </Alert>
      )}
      {shipment.kept.length > 0 && (
        <Alert color="gray" title={t('shipments.kept_title', { count: shipment.kept.length })}>
          <Group gap="xs">
            {shipment.kept.map((serial) => (
              <Text key={serial} span style={CODE_STYLE}>
                {serial}
              </Text>
            ))}
          </Group>
        </Alert>
      )}
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
        {mayWrite && shipment.status !== 'cancelled' && (
          <Button
            variant="light"
            color="red"
            loading={cancel.isPending}
            onClick={() => {
              confirmCancel(t('shipments.cancel'), t('shipments.cancel_confirm'), t('shipments.keep'), () => {
                cancel.mutate(undefined);
              });
            }}
          >
            {t('shipments.cancel')}
          </Button>
        )}
      </Group>
      {excel.isError && <Alert color="red" role="alert" title={excel.error.message} />}
      {cancel.isError && <Alert color="red" role="alert" title={cancel.error.message} />}
      {cancel.data && (
        <Alert color="green" role="status" title={t('shipments.cancelled', { count: cancel.data.unshipped, kept: cancel.data.kept.length })} />
      )}
      {mayWrite && shipment.status === 'confirmed' && <Returns shipmentId={shipment.shipment_id} />}
      <Title order={2} size="h3">
        {t('shipments.units')}
      </Title>
      <UnitsTable units={units} />
    </Stack>
  );
}

/** One shipment: the ship-out screen while it is a draft, else its outcome and units. */
export function ShipmentPage() {
  const { t } = useTranslation();
  const { shipmentId = '' } = useParams();
  const found = useShipment(shipmentId);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayWrite = roles.some((r) => SHIPMENT_WRITERS.includes(r));
  const data = found.data;
  return (
    <Stack>
      <Anchor component={Link} to="/shipments">
        {t('shipments.back')}
      </Anchor>
      <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
        {data ? t('shipments.heading', { document: data.shipment.document_number }) : t('shipments.shipment')}
      </Title>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {data && (
        <>
          <Group gap="xs">
            <ShipmentStatusBadge status={data.shipment.status} />
          </Group>
          <Facts shipment={data.shipment} />
          {data.shipment.status === 'draft' ? (
            <ShipOut shipment={data.shipment} units={data.units} mayWrite={mayWrite} />
          ) : (
            <Shipped shipment={data.shipment} units={data.units} mayWrite={mayWrite} />
          )}
        </>
      )}
    </Stack>
  );
}
