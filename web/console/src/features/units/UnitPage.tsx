import {
  Alert,
  Anchor,
  Button,
  Group,
  Image,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession, type Role } from '../../auth/session';
import { mayUse } from '../../shell/menu';
import { actorName, formatDateTime, formatDay } from '../format';
import { WarrantyHistorySection } from './WarrantyHistory';
import { downloadQr, useQrImage, useRevealOwner, useUnit, type UnitDetail, type UnitEvent } from './api';
import { StatusBadge, WarrantyBadge } from './badges';
import { Field } from '../../components/Field';

// Who may see an owner in full (docs/api.md: POST /units/{serial}/owner); the others see masks.
const OWNER_READERS = new Set(['admin', 'cs']);

/** A link to another screen when the user's roles open it, else the plain text. */
function LinkIf({ path, to, roles, children }: { path: string; to: string; roles: readonly Role[]; children: string }) {
  return mayUse(path, roles) ? (
    <Anchor component={Link} to={to}>
      {children}
    </Anchor>
  ) : (
    <>{children}</>
  );
}

// The history events whose note names a shipment, and those whose note names a carton.
const SHIPMENT_EVENTS = new Set(['shipped', 'returned', 'unshipped']);
const CARTON_EVENTS = new Set(['packed', 'unpacked']);

function EventNote({ event, roles }: { event: UnitEvent; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const { by, note } = event;
  let detail: React.ReactNode = note;
  if (note && SHIPMENT_EVENTS.has(event.event)) {
    detail = (
      <LinkIf path="/shipments" to={`/shipments/${encodeURIComponent(note)}`} roles={roles}>
        {t('unit.shipment_link', { id: note })}
      </LinkIf>
    );
  } else if (note && CARTON_EVENTS.has(event.event)) {
    detail = (
      <LinkIf path="/cartons" to={`/cartons/${encodeURIComponent(note)}`} roles={roles}>
        {note}
      </LinkIf>
    );
  }
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
      {actorName(by)}
      {by && note ? ' · ' : null}
      {detail}
    </Text>
  );
}

/** Where the unit went: its carton, and (once shipped) its dealer, shipment and ship date. */
function Shipping({ unit, roles }: { unit: UnitDetail; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const { dealer, shipment_id: shipmentId } = unit;
  return (
    <>
      <Field label={t('unit.carton')}>
        {unit.carton ? (
          <LinkIf path="/cartons" to={`/cartons/${encodeURIComponent(unit.carton)}`} roles={roles}>
            {unit.carton}
          </LinkIf>
        ) : (
          '—'
        )}
      </Field>
      <Field label={t('unit.dealer')}>
        {dealer ? (
          <span data-testid="unit-dealer">
            <LinkIf path="/dealers" to={`/dealers/${encodeURIComponent(dealer.dealer_id)}`} roles={roles}>
              {dealer.name ?? t('unit.dealer_unknown', { id: dealer.dealer_id })}
            </LinkIf>
          </span>
        ) : (
          '—'
        )}
      </Field>
      <Field label={t('unit.shipment')}>
        {shipmentId ? (
          <span data-testid="unit-shipment">
            <LinkIf path="/shipments" to={`/shipments/${encodeURIComponent(shipmentId)}`} roles={roles}>
              {unit.shipment_document ?? shipmentId}
            </LinkIf>
          </span>
        ) : (
          '—'
        )}
      </Field>
      <Field label={t('unit.shipped_on')}>{formatDay(unit.shipped_on)}</Field>
    </>
  );
}

function Owner({ unit, mayReveal }: { unit: UnitDetail; mayReveal: boolean }) {
  const { t } = useTranslation();
  const reveal = useRevealOwner(unit.serial);
  const customer = unit.activation?.customer;
  if (!customer) return <Text c="dimmed">{t('unit.no_owner')}</Text>;
  const owner = reveal.data;
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Field label={t('unit.owner_name')}>
          <span data-testid="owner-name">{owner ? owner.name : customer.name_masked}</span>
        </Field>
        <Field label={t('unit.owner_phone')}>
          <span data-testid="owner-phone">{owner ? owner.phone : customer.phone_masked}</span>
        </Field>
        <Field label={t('unit.owner_province')}>{customer.province || '—'}</Field>
        {owner?.address && <Field label={t('unit.owner_address')}>{owner.address}</Field>}
      </SimpleGrid>
      {mayReveal && !owner && (
        <Group>
          <Button
            variant="default"
            size="compact-sm"
            loading={reveal.isPending}
            onClick={() => {
              reveal.mutate(undefined, {
                onError: (error) => notifications.show({ color: 'red', message: error.message }),
              });
            }}
          >
            {t('unit.reveal')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('unit.reveal_recorded')}
          </Text>
        </Group>
      )}
    </Stack>
  );
}

function QrPreview({ serial }: { serial: string }) {
  const { t } = useTranslation();
  const image = useQrImage(serial, 'svg');
  const url = useMemo(() => (image.data ? URL.createObjectURL(image.data) : null), [image.data]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  const save = (format: 'svg' | 'png') => {
    downloadQr(serial, format).catch((error: unknown) => {
      notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
    });
  };
  return (
    <Stack gap="xs" align="flex-start">
      {image.isError && <Alert color="red" role="alert" title={image.error.message} />}
      {url ? (
        <Image src={url} alt={t('unit.qr_alt', { serial })} w={160} h={160} data-testid="qr-preview" />
      ) : (
        !image.isError && <Loader size="sm" role="status" aria-label={t('state.loading')} />
      )}
      <Group gap="xs">
        <Button variant="default" size="compact-sm" onClick={() => { save('png'); }}>
          {t('unit.download_png')}
        </Button>
        <Button variant="default" size="compact-sm" onClick={() => { save('svg'); }}>
          {t('unit.download_svg')}
        </Button>
      </Group>
    </Stack>
  );
}

/** One unit: status and warranty, batch and model, the owner (masked; admin and cs may reveal
 * it, each reveal recorded), the QR code with its downloads, the certificate and the history. */
export function UnitPage() {
  const { t } = useTranslation();
  const { serial = '' } = useParams();
  const unit = useUnit(serial);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayReveal = roles.some((r) => OWNER_READERS.has(r));
  const data = unit.data;

  return (
    <Stack>
      <Anchor component={Link} to="/units">
        {t('unit.back')}
      </Anchor>
      <Title order={1} size="h2" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {t('unit.title', { serial: data?.serial ?? serial })}
      </Title>
      {unit.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {unit.isError && <Alert color="red" role="alert" title={unit.error.message} />}
      {data && (
        <>
          <Group gap="xs">
            <StatusBadge status={data.status} />
            <WarrantyBadge status={data.warranty_status} />
          </Group>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label={t('units.model')}>{data.model_code}</Field>
              <Field label={t('units.batch')}>{data.batch || '—'}</Field>
              <Field label={t('unit.manufactured_on')}>{formatDay(data.manufactured_on)}</Field>
              <Field label={t('unit.created_at')}>{formatDateTime(data.created_at)}</Field>
              <Shipping unit={data} roles={roles} />
              <Field label={t('units.activated_at')}>{formatDateTime(data.activation?.activated_at)}</Field>
              <Field label={t('unit.channel')}>{data.activation ? t(`dashboard.channel.${data.activation.channel}`, { defaultValue: data.activation.channel }) : '—'}</Field>
              <Field label={t('unit.warranty_start')}>{formatDay(data.activation?.warranty_start)}</Field>
              <Field label={t('unit.warranty_end')}>{formatDay(data.activation?.warranty_end)}</Field>
            </SimpleGrid>
          </Paper>
          <Title order={2} size="h3">
            {t('units.owner')}
          </Title>
          <Paper withBorder p="md">
            <Owner unit={data} mayReveal={mayReveal} />
          </Paper>
          <WarrantyHistorySection serial={data.serial} roles={roles} />
          <Title order={2} size="h3">
            {t('unit.qr')}
          </Title>
          <Paper withBorder p="md">
            <Stack gap="xs">
              <QrPreview serial={data.serial} />
              {data.certificate_url && (
                <Anchor href={data.certificate_url} target="_blank" rel="noopener noreferrer" data-testid="certificate-link">
                  {t('unit.certificate')}
                </Anchor>
              )}
            </Stack>
          </Paper>
          <Title order={2} size="h3">
            {t('unit.history')}
          </Title>
          <Timeline active={data.history.length - 1} bulletSize={14} lineWidth={2}>
            {data.history.map((event, index) => (
              <Timeline.Item key={`${event.at}-${index}`} title={t(`unit.event.${event.event}`, { defaultValue: event.event })}>
                <Text size="sm">{formatDateTime(event.at, true)}</Text>
                <EventNote event={event} roles={roles} />
              </Timeline.Item>
            ))}
          </Timeline>
        </>
      )}
    </Stack>
  );
}
