import { Alert, Anchor, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCarton, useCloseCarton, useLabelJob, usePack, usePrintLabel, useUnpack, type CartonDetail } from './api';
import { CartonStatusBadge, useMayPack } from './parts';

type Notice = { tone: 'ok' | 'info' | 'bad'; text: string };

/** The packing screen: a warehouse scanner types each unit's serial and Enter into the focused
 * input; the carton's count by model updates as units go in; a unit can be taken out; the
 * carton is closed and its label printed (a label job, then its PDF). */
export function CartonPage() {
  const { t } = useTranslation();
  const code = useParams().code ?? '';
  const carton = useCarton(code);
  const mayPack = useMayPack();

  if (carton.isPending) return <Loader role="status" aria-label={t('state.loading')} />;
  if (carton.isError) return <Alert color="red" role="alert" title={carton.error.message} />;
  return (
    <Stack>
      <Anchor component={Link} to="/cartons">
        {t('cartons.back')}
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
          {t('cartons.carton', { code: carton.data.label_text })}
        </Title>
        <CartonStatusBadge status={carton.data.status} />
      </Group>
      {mayPack && carton.data.status === 'open' && <Scanner code={code} />}
      <Counts carton={carton.data} />
      <Units carton={carton.data} editable={mayPack && carton.data.status === 'open'} />
      {mayPack && <Actions carton={carton.data} />}
    </Stack>
  );
}

function Scanner({ code }: { code: string }) {
  const { t } = useTranslation();
  const pack = usePack(code);
  const input = useRef<HTMLInputElement>(null);
  const [serial, setSerial] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const scanned = serial.trim();
    if (!scanned) return;
    setSerial('');
    pack.mutate(scanned, {
      onSuccess: (answer) => {
        setNotice(
          answer.already
            ? { tone: 'info', text: t('cartons.already', { serial: answer.unit.serial }) }
            : { tone: 'ok', text: t('cartons.packed', { serial: answer.unit.serial, model: answer.unit.model_code }) },
        );
      },
      onError: (error) => {
        setNotice({ tone: 'bad', text: `${scanned}: ${error.message}` });
      },
      onSettled: () => input.current?.focus(),
    });
  };

  const color = { ok: 'var(--ok)', info: 'var(--muted)', bad: 'var(--bad)' };
  return (
    <Card withBorder>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <TextInput
            ref={input}
            label={t('cartons.scan')}
            description={t('cartons.scan_hint')}
            value={serial}
            onChange={(event) => { setSerial(event.currentTarget.value); }}
            maxLength={64}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            data-testid="scan-input"
          />
          <Text role="status" aria-live="polite" fw={600} style={{ color: notice ? color[notice.tone] : undefined, minHeight: '1.5em' }} data-testid="scan-notice">
            {notice?.text ?? ''}
          </Text>
        </Stack>
      </form>
    </Card>
  );
}

function Counts({ carton }: { carton: CartonDetail }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('cartons.count_title')} <span data-testid="carton-count">{carton.units}</span>
      </Title>
      <Table withTableBorder>
        <Table.Caption>{t('cartons.by_model')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('cartons.model')}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>
              {t('cartons.units')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody data-testid="model-counts">
          {carton.models.map((m) => (
            <Table.Tr key={m.model_code}>
              <Table.Td>{m.model_code}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{m.units}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Units({ carton, editable }: { carton: CartonDetail; editable: boolean }) {
  const { t } = useTranslation();
  const unpack = useUnpack(carton.code);
  if (carton.unit_list.length === 0) return <Text c="dimmed">{t('cartons.no_units')}</Text>;
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('cartons.unit_list')}
      </Title>
      {unpack.isError && <Alert color="red" role="alert" title={unpack.error.message} />}
      <Table withTableBorder>
        <Table.Caption>{t('cartons.unit_list')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('cartons.serial')}</Table.Th>
            <Table.Th scope="col">{t('cartons.model')}</Table.Th>
            {editable && <Table.Th scope="col">{t('cartons.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody data-testid="carton-units">
          {carton.unit_list.map((unit) => (
            <Table.Tr key={unit.serial}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{unit.serial}</Table.Td>
              <Table.Td>{unit.model_code}</Table.Td>
              {editable && (
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('cartons.remove_unit', { serial: unit.serial })}
                    loading={unpack.isPending && unpack.variables === unit.serial}
                    onClick={() => { unpack.mutate(unit.serial); }}
                  >
                    {t('cartons.remove')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Actions({ carton }: { carton: CartonDetail }) {
  const { t } = useTranslation();
  const close = useCloseCarton(carton.code);
  const print = usePrintLabel();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useLabelJob(jobId);
  const download = job.data?.download;

  return (
    <Stack gap="xs">
      <Group wrap="wrap">
        {carton.status === 'open' && (
          <Button onClick={() => { close.mutate(undefined); }} loading={close.isPending} disabled={carton.units === 0}>
            {t('cartons.close')}
          </Button>
        )}
        <Button
          variant="light"
          loading={print.isPending}
          onClick={() => {
            print.mutate(carton.code, { onSuccess: (created) => { setJobId(created.job_id); } });
          }}
        >
          {t('cartons.print')}
        </Button>
      </Group>
      {close.isError && <Alert color="red" role="alert" title={close.error.message} />}
      {print.isError && <Alert color="red" role="alert" title={print.error.message} />}
      {jobId !== null && (
        <Text role="status" aria-live="polite">
          {download ? (
            <Anchor href={download.url} download={download.filename}>
              {t('cartons.download_label')}
            </Anchor>
          ) : job.data?.status === 'failed' ? (
            t('cartons.label_failed')
          ) : (
            t('cartons.label_running')
          )}
        </Text>
      )}
    </Stack>
  );
}
