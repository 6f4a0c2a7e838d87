import { Alert, Anchor, Button, Group, Loader, Modal, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom } from '../../components/forms';
import { ServerTable } from '../../components/ServerTable';
import { formatDateTime, formatVnd } from '../format';
import {
  NOTE_MAX,
  PAYOUT_WRITERS,
  REFERENCE_MAX,
  percent,
  useExportBatch,
  usePayoutBatch,
  usePayoutLines,
  useSettleLine,
  type PayoutLine,
  type Settlement,
} from './api';
import { StateBadge, Totals } from './parts';

function SettleForm({ batchId, line, outcome, onClose }: { batchId: string; line: PayoutLine; outcome: Settlement['outcome']; onClose: () => void }) {
  const { t } = useTranslation();
  const settle = useSettleLine(batchId);
  const field = outcome === 'paid' ? 'reference' : 'reason';
  const form = useForm({
    mode: 'controlled',
    initialValues: { text: '' },
    validate: { text: (value) => (value.trim() ? null : t(`payouts.${field}_required`)) },
  });
  const submit = form.onSubmit((values) => {
    settle.mutate(
      { partnerId: line.partner_id, outcome, text: values.text.trim() },
      {
        onSuccess: onClose,
        onError: (error) => {
          const errors = fieldErrorsFrom(error);
          if (errors[field]) form.setErrors({ text: errors[field] });
        },
      },
    );
  });
  const input = { label: t(`payouts.${field}`), required: true, 'data-autofocus': true, ...form.getInputProps('text') };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{t(`payouts.confirm_${outcome}`, { name: line.name, net: formatVnd(line.net) })}</Text>
        {outcome === 'paid' ? <TextInput maxLength={REFERENCE_MAX} {...input} /> : <Textarea autosize minRows={2} maxLength={NOTE_MAX} {...input} />}
        {settle.isError && !settle.error.fields.length && <Alert color="red" role="alert" title={settle.error.message} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('payouts.cancel')}
          </Button>
          <Button
            type="submit"
            loading={settle.isPending}
            // the tokens' red (AA with white text); Mantine's red is under 4.5:1
            styles={outcome === 'failed' ? { root: { background: 'var(--bad)', borderColor: 'var(--bad)' } } : undefined}
          >
            {t(`payouts.mark_${outcome}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One batch: its totals and the withholding version it used, the Excel download, and its lines
 * with gross, tax, net and bank; a line of an exported batch is marked paid or failed. */
export function PayoutBatchPage() {
  const { t } = useTranslation();
  const { batchId = '' } = useParams();
  const detail = usePayoutBatch(batchId);
  const lines = usePayoutLines(batchId);
  const exporting = useExportBatch(batchId);
  const session = useSession();
  const mayWrite = session.status === 'signed_in' && session.session.roles.some((r) => PAYOUT_WRITERS.includes(r));
  const [dialog, setDialog] = useState<{ line: PayoutLine; outcome: Settlement['outcome'] } | null>(null);
  const batch = detail.data?.batch;
  const marking = mayWrite && batch?.state === 'exported';

  const columns: DataTableColumn<PayoutLine>[] = [
    { accessor: 'name', title: t('payouts.partner'), render: (l) => <Anchor component={Link} to={`/partners/${encodeURIComponent(l.partner_id)}`}>{l.name}</Anchor> },
    { accessor: 'bank', title: t('payouts.bank'), render: (l) => `${l.bank.short_name} · ${l.account_number}` },
    { accessor: 'account_holder', title: t('payouts.holder') },
    { accessor: 'gross', title: t('payouts.gross'), noWrap: true, render: (l) => formatVnd(l.gross) },
    { accessor: 'tax', title: t('payouts.tax'), noWrap: true, render: (l) => (l.commitment ? t('payouts.tax_waived') : formatVnd(l.tax)) },
    { accessor: 'net', title: t('payouts.net'), noWrap: true, render: (l) => formatVnd(l.net) },
    {
      accessor: 'state',
      title: t('payouts.state'),
      render: (l) => (
        <Stack gap={2}>
          <StateBadge kind="line" state={l.state} />
          {(l.reference ?? l.reason) && <Text size="xs">{l.reference ?? l.reason}</Text>}
        </Stack>
      ),
    },
    {
      accessor: 'partner_id',
      title: t('payouts.actions'),
      hidden: !marking,
      render: (l) =>
        l.state === 'pending' ? (
          <Group gap="xs" wrap="nowrap">
            {(['paid', 'failed'] as const).map((outcome) => (
              <Button
                key={outcome}
                size="compact-sm"
                variant={outcome === 'paid' ? 'filled' : 'default'}
                aria-label={t(`payouts.mark_${outcome}_of`, { name: l.name })}
                onClick={(event) => {
                  event.stopPropagation();
                  setDialog({ line: l, outcome });
                }}
              >
                {t(`payouts.mark_${outcome}`)}
              </Button>
            ))}
          </Group>
        ) : null,
    },
  ];

  return (
    <Stack>
      <Anchor component={Link} to="/payouts">
        {t('payouts.back')}
      </Anchor>
      <Title order={1} size="h2">
        {batch ? t('payouts.batch_of', { at: formatDateTime(batch.created_at) }) : t('payouts.batch')}
      </Title>
      {detail.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {detail.isError && <Alert color="red" role="alert" title={detail.error.message} />}
      {batch && (
        <>
          <Group justify="space-between" gap="sm">
            <StateBadge kind="batch" state={batch.state} />
            {mayWrite && (batch.state === 'open' || batch.state === 'exported') && (
              <Button
                variant={batch.state === 'open' ? 'filled' : 'default'}
                loading={exporting.isPending}
                onClick={() => {
                  exporting.mutate(undefined);
                }}
              >
                {t('payouts.export')}
              </Button>
            )}
          </Group>
          <Text size="sm">
            {t(`payouts.explain.${batch.state}`)}{' '}
            {t('payouts.batch_setting', { rate: percent(batch.setting.rate_bp), threshold: formatVnd(batch.setting.threshold), version: batch.setting.version, months: batch.periods.join(', ') })}
          </Text>
          {exporting.isError && <Alert color="red" role="alert" title={exporting.error.message} />}
          {exporting.data && (
            <Alert color="green" role="status" title={t('payouts.exported', { rows: exporting.data.rows })}>
              <Anchor href={exporting.data.url} download={exporting.data.filename} data-testid="payout-download">
                {t('payouts.download', { filename: exporting.data.filename })}
              </Anchor>
            </Alert>
          )}
          <Totals totals={batch} />
          {batch.carried > 0 && <Text size="sm">{t('payouts.carried', { count: batch.carried })}</Text>}
          <Text size="sm">{t('payouts.settled_count', { paid: batch.paid, failed: batch.failed })}</Text>
          <ServerTable query={lines} columns={columns} idAccessor="partner_id" caption={t('payouts.lines_caption')} emptyText={t('payouts.no_line')} />
          <Modal
            opened={dialog !== null}
            onClose={() => {
              setDialog(null);
            }}
            title={dialog ? t(`payouts.mark_${dialog.outcome}`) : ''}
            closeButtonProps={{ 'aria-label': t('payouts.cancel') }}
            centered
          >
            {dialog && (
              <SettleForm
                batchId={batchId}
                line={dialog.line}
                outcome={dialog.outcome}
                onClose={() => {
                  setDialog(null);
                }}
              />
            )}
          </Modal>
        </>
      )}
    </Stack>
  );
}
