import { Alert, Anchor, Button, Group, Modal, NumberInput, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { fieldErrorsFrom } from '../../components/forms';
import { ServerTable } from '../../components/ServerTable';
import { formatDateTime, formatDay, formatVnd } from '../format';
import {
  NOTE_MAX,
  PAYOUT_WRITERS,
  percent,
  useConfirmSetting,
  useCreateBatch,
  usePayoutBatches,
  usePayoutSettings,
  usePreview,
  type PayoutBatch,
} from './api';
import { StateBadge, Totals } from './parts';

function SettingForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const confirm = useConfirmSetting();
  const form = useForm({
    mode: 'controlled',
    initialValues: { rate: 10 as number | string, threshold: 2000000 as number | string, effective_from: '', note: '' },
    validate: {
      effective_from: (value) => (value ? null : t('payouts.setting_day_required')),
      note: (value) => (value.length > NOTE_MAX ? t('payouts.note_too_long', { max: NOTE_MAX }) : null),
    },
  });
  const submit = form.onSubmit((values) => {
    confirm.mutate(
      {
        rate_bp: Math.round(Number(values.rate) * 100),
        threshold: Math.round(Number(values.threshold)),
        effective_from: values.effective_from,
        note: values.note.trim(),
      },
      {
        onSuccess: onClose,
        onError: (error) => {
          // the API names rate_bp; the form asks for a percentage
          const errors = fieldErrorsFrom(error);
          if (errors.rate_bp) errors.rate = errors.rate_bp;
          form.setErrors(errors);
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('payouts.setting_explain')}</Text>
        <NumberInput label={t('payouts.rate')} min={0} max={50} decimalScale={2} suffix=" %" {...form.getInputProps('rate')} />
        <NumberInput label={t('payouts.threshold')} min={0} step={100000} thousandSeparator="." decimalSeparator="," suffix=" ₫" {...form.getInputProps('threshold')} />
        <DayInput
          label={t('payouts.effective_from')}
          value={form.values.effective_from}
          onChange={(day) => {
            form.setFieldValue('effective_from', day);
          }}
          error={form.errors.effective_from}
        />
        <Textarea label={t('payouts.note')} autosize minRows={2} maxLength={NOTE_MAX} {...form.getInputProps('note')} />
        {confirm.isError && !confirm.error.fields.length && <Alert color="red" role="alert" title={confirm.error.message} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('payouts.cancel')}
          </Button>
          <Button type="submit" loading={confirm.isPending}>
            {t('payouts.confirm_setting')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Settings({ mayWrite }: { mayWrite: boolean }) {
  const { t } = useTranslation();
  const settings = usePayoutSettings();
  const [open, setOpen] = useState(false);
  const current = settings.data?.current;
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h3">
            {t('payouts.setting_title')}
          </Title>
          {mayWrite && (
            <Button
              variant="default"
              onClick={() => {
                setOpen(true);
              }}
            >
              {t('payouts.new_setting')}
            </Button>
          )}
        </Group>
        {settings.isError && <Alert color="red" role="alert" title={settings.error.message} />}
        {settings.data && !current && (
          <Alert color="yellow" role="status" title={t('payouts.no_setting')}>
            {t('payouts.no_setting_detail')}
          </Alert>
        )}
        {current && (
          <Text data-testid="current-setting">
            {t('payouts.setting_current', {
              rate: percent(current.rate_bp),
              threshold: formatVnd(current.threshold),
              from: formatDay(current.effective_from),
              version: current.version,
              by: current.confirmed_by,
              at: formatDateTime(current.confirmed_at),
            })}
          </Text>
        )}
      </Stack>
      <Modal
        opened={open}
        onClose={() => {
          setOpen(false);
        }}
        title={t('payouts.new_setting')}
        closeButtonProps={{ 'aria-label': t('payouts.cancel') }}
        centered
      >
        {open && (
          <SettingForm
            onClose={() => {
              setOpen(false);
            }}
          />
        )}
      </Modal>
    </Paper>
  );
}

function NewBatch() {
  const { t } = useTranslation();
  const preview = usePreview();
  const create = useCreateBatch();
  const navigate = useNavigate();
  const found = preview.data;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3">
            {t('payouts.new_batch')}
          </Title>
          <Button
            variant="default"
            loading={preview.isPending}
            onClick={() => {
              preview.mutate(undefined);
            }}
          >
            {t('payouts.preview')}
          </Button>
        </Group>
        <Text size="sm">{t('payouts.new_batch_explain')}</Text>
        {preview.isError && <Alert color="red" role="alert" title={preview.error.message} />}
        {found && (
          <Stack gap="sm" data-testid="payout-preview">
            <Text size="sm">
              {found.periods.length
                ? t('payouts.preview_months', { months: found.periods.join(', '), rate: percent(found.setting.rate_bp), version: found.setting.version })
                : t('payouts.preview_no_month')}
            </Text>
            <Totals totals={found.totals} />
            {found.carried.length > 0 && <Text size="sm">{t('payouts.carried', { count: found.carried.length })}</Text>}
            {create.isError && <Alert color="red" role="alert" title={create.error.message} />}
            <Group justify="flex-end">
              <Button
                disabled={!found.totals.lines}
                loading={create.isPending}
                onClick={() => {
                  create.mutate(undefined, {
                    onSuccess: (detail) => {
                      void navigate(`/payouts/${encodeURIComponent(detail.batch.batch_id)}`);
                    },
                  });
                }}
              >
                {t('payouts.create')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** The accountant's payouts: the withholding setting in effect (and a new version), a new batch
 * previewed before it is made, and the batches, newest first. */
export function PayoutsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const mayWrite = session.status === 'signed_in' && session.session.roles.some((r) => PAYOUT_WRITERS.includes(r));
  const batches = usePayoutBatches();
  const columns: DataTableColumn<PayoutBatch>[] = [
    {
      accessor: 'created_at',
      title: t('payouts.created_at'),
      noWrap: true,
      render: (b) => (
        <Anchor component={Link} to={`/payouts/${encodeURIComponent(b.batch_id)}`}>
          {formatDateTime(b.created_at)}
        </Anchor>
      ),
    },
    { accessor: 'state', title: t('payouts.state'), render: (b) => <StateBadge kind="batch" state={b.state} /> },
    { accessor: 'lines', title: t('payouts.lines') },
    { accessor: 'net', title: t('payouts.net'), noWrap: true, render: (b) => formatVnd(b.net) },
    { accessor: 'paid', title: t('payouts.settled'), render: (b) => t('payouts.settled_count', { paid: b.paid, failed: b.failed }) },
    { accessor: 'created_by', title: t('payouts.created_by') },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('payouts.title')}
      </Title>
      <Settings mayWrite={mayWrite} />
      {mayWrite && <NewBatch />}
      <Title order={2} size="h3">
        {t('payouts.batches')}
      </Title>
      <ServerTable query={batches} columns={columns} idAccessor="batch_id" caption={t('payouts.batches')} emptyText={t('payouts.no_batch')} />
    </Stack>
  );
}
