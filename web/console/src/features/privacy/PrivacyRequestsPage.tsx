import { Alert, Badge, Button, Group, Modal, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import type { DataTableColumn } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../../auth/session';
import { fieldErrorsFrom } from '../../components/forms';
import { ServerTable } from '../../components/ServerTable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n';
import { actorName, formatDateTime } from '../format';
import {
  ERASED_SECTIONS,
  PRIVACY_HANDLERS,
  PRIVACY_STATUSES,
  REASON_MAX,
  privacyFilterNames,
  statusOf,
  useErase,
  usePrivacyRequests,
  useRefuse,
  type PrivacyRequest,
} from './api';
import { formatCount } from './numbers';
import { RetentionSection } from './RetentionSection';

const DEADLINE_HOURS = 72;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The time now, again every minute: the time left to each deadline counts down. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
    }, MINUTE);
    return () => {
      window.clearInterval(timer);
    };
  }, []);
  return now;
}

/** A span of time as the deadline column says it: `2 days 23 h`, `5 h 12 min`, `40 min`. */
function durationText(ms: number, t: TFunction): string {
  const minutes = Math.floor(ms / MINUTE);
  const hours = Math.floor(minutes / 60);
  if (hours >= 24) {
    return t('privacy.duration_days', { days: formatCount(Math.floor(hours / 24)), hours: formatCount(hours % 24) });
  }
  if (hours >= 1) return t('privacy.duration_hours', { hours: formatCount(hours), minutes: formatCount(minutes % 60) });
  return t('privacy.duration_minutes', { minutes: formatCount(minutes) });
}

// The shared tokens' colours (text over its own background: AA at badge size).
const TONES = {
  warn: ['var(--warn)', 'var(--warn-bg)'],
  bad: ['var(--bad)', 'var(--bad-bg)'],
} as const;

function ToneBadge({ tone, children }: { tone: keyof typeof TONES; children: React.ReactNode }) {
  const [ink, background] = TONES[tone];
  return (
    <Badge
      variant="outline"
      data-testid="deadline-badge"
      styles={{ root: { color: ink, borderColor: ink, background, textTransform: 'none', height: 'auto' }, label: { whiteSpace: 'normal' } }}
    >
      {children}
    </Badge>
  );
}

/** The deadline and the time left to it: red past it, amber in its last 24 hours. */
function Deadline({ request, now }: { request: PrivacyRequest; now: number }) {
  const { t } = useTranslation();
  const left = Date.parse(request.due_at) - now;
  const overdue = request.overdue || left <= 0;
  return (
    <Stack gap={4} align="flex-start">
      <span>{formatDateTime(request.due_at)}</span>
      {overdue ? (
        <ToneBadge tone="bad">{t('privacy.overdue_by', { time: durationText(-left, t) })}</ToneBadge>
      ) : left < 24 * HOUR ? (
        <ToneBadge tone="warn">{t('privacy.time_left', { time: durationText(left, t) })}</ToneBadge>
      ) : (
        <Text size="sm">{t('privacy.time_left', { time: durationText(left, t) })}</Text>
      )}
    </Stack>
  );
}

/** A masked number keeps its left-to-right order in a Persian page. */
function Phone({ phone }: { phone: string }) {
  return (
    <span dir="ltr" style={{ whiteSpace: 'nowrap', direction: 'ltr', unicodeBidi: 'isolate' }}>
      {phone}
    </span>
  );
}

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The counts of an erasure in the sections' order (any section this console does not know yet
 * last, by its name). */
function sectionsOf(erased: Record<string, number>): [string, number][] {
  const known = (ERASED_SECTIONS as readonly string[]).filter((section) => section in erased);
  const others = Object.keys(erased)
    .filter((section) => !known.includes(section))
    .sort();
  return [...known, ...others].map((section) => [section, erased[section] ?? 0]);
}

function sectionName(section: string, t: TFunction): string {
  return t(`privacy.section.${section}`, { defaultValue: section });
}

/** A done request's counts in the table: the sections where something changed. */
function ErasedSummary({ erased }: { erased: Record<string, number> }) {
  const { t } = useTranslation();
  const changed = sectionsOf(erased).filter(([, count]) => count > 0);
  if (!changed.length) return <Text size="sm">{t('privacy.nothing_held')}</Text>;
  return (
    <Stack gap={0}>
      {changed.map(([section, count]) => (
        <Text key={section} size="sm">
          {t('privacy.section_count', { section: sectionName(section, t), count: formatCount(count) })}
        </Text>
      ))}
    </Stack>
  );
}

/** Every section an erasure went through, with what it changed (0: nothing held there). */
function ErasedTable({ erased }: { erased: Record<string, number> }) {
  const { t } = useTranslation();
  const rows = sectionsOf(erased);
  const total = rows.reduce((sum, [, count]) => sum + count, 0);
  return (
    <Table withTableBorder striped data-testid="erased-counts">
      <Table.Caption>{t('privacy.erased_caption')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('privacy.section')}</Table.Th>
          <Table.Th scope="col" style={{ textAlign: 'end' }}>
            {t('privacy.items_changed')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([section, count]) => (
          <Table.Tr key={section}>
            <Table.Th scope="row" fw={400}>
              {sectionName(section, t)}
            </Table.Th>
            <Table.Td style={{ textAlign: 'end' }}>{formatCount(count)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Th scope="row">{t('privacy.total')}</Table.Th>
          <Table.Td style={{ textAlign: 'end' }} fw={700}>
            {formatCount(total)}
          </Table.Td>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}

/** "This cannot be undone", then the erasure; its answer (the counts) replaces the question. */
function EraseForm({ request, onClose }: { request: PrivacyRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const erase = useErase();
  if (erase.data) {
    return (
      <Stack>
        <Alert color="green" role="status" title={t('privacy.erased_title')}>
          {t('privacy.erased_detail', { phone: erase.data.phone_masked })}
        </Alert>
        <ErasedTable erased={erase.data.erased} />
        <Button data-autofocus onClick={onClose}>
          {t('privacy.close')}
        </Button>
      </Stack>
    );
  }
  return (
    <Stack>
      <Text>{t('privacy.erase_explain', { phone: request.phone_masked })}</Text>
      <Text size="sm">{t('privacy.erase_kept')}</Text>
      <Alert color="red" role="note" title={t('privacy.erase_final')} />
      {erase.isError && <Alert color="red" role="alert" title={erase.error.message} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} data-autofocus>
          {t('privacy.cancel')}
        </Button>
        <Button
          styles={{ root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
          loading={erase.isPending}
          // a request someone else closed meanwhile cannot be erased again
          disabled={erase.error?.code === 'privacy_request_handled'}
          onClick={() => {
            erase.mutate(request.request_id);
          }}
        >
          {t('privacy.erase_confirm')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The refusal with its reason (required: the law allows a refusal for a reason only). */
function RefuseForm({ request, onClose }: { request: PrivacyRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const refuse = useRefuse();
  const form = useForm({
    mode: 'controlled',
    initialValues: { refusal_reason: '' },
    validate: {
      refusal_reason: (value) => {
        if (!value.trim()) return t('privacy.reason_required');
        return value.length > REASON_MAX ? t('privacy.reason_too_long', { max: formatCount(REASON_MAX) }) : null;
      },
    },
  });
  const submit = form.onSubmit((values) => {
    refuse.mutate(
      { requestId: request.request_id, reason: values.refusal_reason.trim() },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: t('privacy.refused_notice', { phone: request.phone_masked }),
            closeButtonProps: { 'aria-label': t('privacy.close_notice') },
          });
          onClose();
        },
        onError: (error) => {
          form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  const general = refuse.error && !refuse.error.fields.length ? refuse.error : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{t('privacy.refuse_explain', { phone: request.phone_masked })}</Text>
        <Textarea
          label={t('privacy.reason')}
          description={t('privacy.reason_hint', { max: formatCount(REASON_MAX) })}
          required
          autosize
          minRows={3}
          maxLength={REASON_MAX}
          data-autofocus
          {...form.getInputProps('refusal_reason')}
        />
        {general && <Alert color="red" role="alert" title={general.message} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('privacy.cancel')}
          </Button>
          <Button
            type="submit"
            styles={{ root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
            loading={refuse.isPending}
          >
            {t('privacy.refuse_confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Dialog = { kind: 'erase' | 'refuse'; request: PrivacyRequest };

/** Customers' personal-data requests: the open ones, soonest deadline first, with the time left
 * (72 hours from the request, the law's), erased or refused by customer service or the admin;
 * the handled ones with who, when and what changed or why not. The director reads. Below them
 * the retention periods, which the admin changes. */
export function PrivacyRequestsPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const mayHandle = roles.some((role) => PRIVACY_HANDLERS.includes(role));
  const [filters, setFilters] = useUrlFilters(privacyFilterNames);
  const status = statusOf(filters.status);
  const requests = usePrivacyRequests(status);
  // the list's own time when it is newer than the clock's last tick
  const now = Math.max(useNow(), requests.dataUpdatedAt);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => {
    setDialog(null);
  };

  const columns: DataTableColumn<PrivacyRequest>[] = [
    {
      accessor: 'phone_masked',
      title: t('privacy.customer'),
      render: (r) => (
        // not stretched: the number sits at the line's start in either direction
        <Stack gap={0} align="flex-start">
          <Phone phone={r.phone_masked} />
          <Text size="xs" c="dimmed" ff="monospace">
            {r.request_id}
          </Text>
        </Stack>
      ),
    },
    { accessor: 'created_at', title: t('privacy.received_at'), noWrap: true, render: (r) => formatDateTime(r.created_at) },
  ];
  if (status === 'open') {
    columns.push(
      { accessor: 'due_at', title: t('privacy.due_at'), render: (r) => <Deadline request={r} now={now} /> },
      {
        accessor: 'channel',
        title: t('privacy.channel'),
        render: (r) => (
          <Stack gap={0}>
            <span>{t(`privacy.channel.${r.channel}`, { defaultValue: r.channel })}</span>
            <Text size="xs" c="dimmed" lang={r.language}>
              {isLanguage(r.language) ? LANGUAGE_NAMES[r.language] : r.language}
            </Text>
          </Stack>
        ),
      },
    );
    if (mayHandle) {
      columns.push({
        accessor: 'actions',
        title: t('privacy.actions'),
        render: (r) => (
          <Group gap="xs">
            <Button
              size="compact-sm"
              styles={{ root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
              aria-label={t('privacy.erase_for', { phone: r.phone_masked })}
              onClick={() => {
                setDialog({ kind: 'erase', request: r });
              }}
            >
              {t('privacy.erase')}
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              aria-label={t('privacy.refuse_for', { phone: r.phone_masked })}
              onClick={() => {
                setDialog({ kind: 'refuse', request: r });
              }}
            >
              {t('privacy.refuse')}
            </Button>
          </Group>
        ),
      });
    }
  } else {
    columns.push(
      {
        accessor: 'handled_at',
        title: t('privacy.handled'),
        render: (r) => (
          <Stack gap={0}>
            <span>{actorName(r.handled_by)}</span>
            <Text size="xs">{formatDateTime(r.handled_at)}</Text>
          </Stack>
        ),
      },
      status === 'done'
        ? { accessor: 'erased', title: t('privacy.erased'), render: (r) => <ErasedSummary erased={r.erased} /> }
        : {
            accessor: 'reason',
            title: t('privacy.reason'),
            render: (r) => <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{r.reason}</Text>,
          },
    );
  }

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('privacy.title')}
      </Title>
      <Text maw={720}>{t('privacy.explain', { hours: formatCount(DEADLINE_HOURS) })}</Text>
      <Tabs
        value={status}
        onChange={(value) => {
          setFilters({ status: value === 'open' || !value ? '' : value });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label={t('privacy.by_status')}>
          {PRIVACY_STATUSES.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`privacy.status.${s}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <ServerTable
        query={requests}
        columns={columns}
        idAccessor="request_id"
        caption={t(`privacy.status.${status}`)}
        emptyText={t(`privacy.empty.${status}`)}
      />
      <RetentionSection />
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={dialog ? t(dialog.kind === 'erase' ? 'privacy.erase_title' : 'privacy.refuse_title') : ''}
        closeButtonProps={{ 'aria-label': t('privacy.close') }}
        centered
      >
        {dialog?.kind === 'erase' && <EraseForm request={dialog.request} onClose={close} />}
        {dialog?.kind === 'refuse' && <RefuseForm request={dialog.request} onClose={close} />}
      </Modal>
    </Stack>
  );
}
