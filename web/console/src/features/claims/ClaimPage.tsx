import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  FileInput,
  Group,
  Image,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ClaimStockParts } from '../maintenance/ClaimStockParts';
import { TICKET_DESK } from '../maintenance/ticketsApi';
import { scrollable } from '../../components/scrollable';
import { Problem, Section } from '../../components/Section';
import { useSession } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { actorName, formatDateTime, formatDay, formatVnd } from '../format';
import {
  COST_KINDS,
  DESK,
  IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  NOTE_MAX,
  PAYERS,
  PHONE_READERS,
  PHOTOS_MAX,
  VERDICTS,
  localPhone,
  maskPhone,
  needsNote,
  useAddCost,
  useAddPhotos,
  useClaim,
  useMove,
  useOverride,
  usePartnerCenters,
  useReplacement,
  useRoute,
  useTechnicians,
  type Claim,
  type ClaimDetail,
  type ClaimState,
  type HistoryEntry,
  type Routing,
  type SentMessage,
  type VerdictStatus,
} from './api';
import { BreachedBadge, Fact, StateBadge, VerdictBadge, ageText, assigneeText } from './parts';

function done(message: string, t: (key: string) => string) {
  notifications.show({ color: 'green', message, closeButtonProps: { 'aria-label': t('claims.close_notice') } });
}

// The moves whose form asks for more than a note.
const RETURN_DATE_MOVES: readonly ClaimState[] = ['accepted', 'received', 'diagnosing', 'waiting_parts', 'repairing'];

/** `2026-03-03T09:00` (the browser's local time) → an instant the API reads. */
function instantOf(local: string): string {
  return local ? new Date(local).toISOString() : '';
}

/** The moves the caller may make now, each a button; one opens its small form (a note where
 * the history must say why, the visit's time, the quote, the expected return day). */
function Moves({ found }: { found: ClaimDetail }) {
  const { t } = useTranslation();
  const claim = found.claim;
  const move = useMove(claim.claim_id);
  const [to, setTo] = useState<ClaimState | null>(null);
  const [note, setNote] = useState('');
  const [appointment, setAppointment] = useState('');
  const [quote, setQuote] = useState<number | string>('');
  const [expected, setExpected] = useState('');
  const [missing, setMissing] = useState('');
  // routing is its own form (the assignee is chosen there)
  const moves = found.moves.filter((m) => m !== 'routed');
  if (moves.length === 0) return <Text c="dimmed">{t('claims.no_moves')}</Text>;
  const noteNeeded = to ? needsNote(claim.state, to) : false;
  const submit = () => {
    if (!to) return;
    const absent =
      noteNeeded && !note.trim()
        ? t('claims.note_required')
        : to === 'scheduled' && !appointment
          ? t('claims.appointment_required')
          : to === 'quoted' && !quote
            ? t('claims.quote_required')
            : '';
    setMissing(absent);
    if (absent) return;
    move.mutate(
      {
        to,
        version: claim.version,
        note: note.trim() || undefined,
        appointment: to === 'scheduled' ? instantOf(appointment) : undefined,
        quote_vnd: to === 'quoted' ? Number(quote) : undefined,
        expected_return: expected || undefined,
      },
      {
        onSuccess: () => {
          done(t('claims.moved', { state: t(`claims.state.${to}`) }), t);
          setTo(null);
          setNote('');
          setAppointment('');
          setQuote('');
          setExpected('');
        },
      },
    );
  };
  return (
    <Stack gap="sm">
      <Group gap="xs">
        {moves.map((m) => (
          <Button
            key={m}
            variant={to === m ? 'filled' : 'light'}
            color={m === 'cancelled' || m === 'rejected' ? 'red' : undefined}
            aria-pressed={to === m}
            onClick={() => {
              setTo(m);
              setMissing('');
              move.reset();
            }}
          >
            {t(`claims.move_to.${m}`)}
          </Button>
        ))}
      </Group>
      {to && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm" data-testid="move-form">
            {to === 'scheduled' && (
              <TextInput
                type="datetime-local"
                label={t('claims.appointment')}
                required
                value={appointment}
                onChange={(event) => {
                  setAppointment(event.currentTarget.value);
                }}
              />
            )}
            {to === 'quoted' && (
              <NumberInput
                label={t('claims.quote_vnd')}
                required
                min={1}
                step={10000}
                thousandSeparator="."
                decimalSeparator=","
                allowDecimal={false}
                value={quote}
                onChange={setQuote}
              />
            )}
            {RETURN_DATE_MOVES.includes(to) && (
              <DayInput label={t('claims.expected_return')} value={expected} onChange={setExpected} />
            )}
            <Textarea
              label={noteNeeded ? t('claims.note_why') : t('claims.note')}
              required={noteNeeded}
              autosize
              minRows={2}
              maxLength={NOTE_MAX}
              value={note}
              onChange={(event) => {
                setNote(event.currentTarget.value);
              }}
            />
            {missing && (
              <Alert color="red" role="alert" title={missing} />
            )}
            <Problem error={move.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => { setTo(null); }}>
                {t('claims.cancel_form')}
              </Button>
              <Button type="submit" loading={move.isPending}>
                {t('claims.confirm_move', { state: t(`claims.state.${to}`) })}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** The verdict with its reasons and the rules' version; the director may override it, with
 * a reason (kept in the history). */
function VerdictPanel({ claim, director }: { claim: Claim; director: boolean }) {
  const { t } = useTranslation();
  const override = useOverride(claim.claim_id);
  const [status, setStatus] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const [missing, setMissing] = useState('');
  const verdict = claim.verdict;
  return (
    <Section title={t('claims.verdict_label')} testId="verdict">
      {verdict ? (
        <>
          <Group gap="xs">
            <VerdictBadge status={verdict.status} />
            <Text size="sm" c="dimmed">{t('claims.rules_version', { version: verdict.rules_version })}</Text>
            <Text size="sm">{formatDateTime(verdict.decided_at)}</Text>
          </Group>
          <ul style={{ margin: 0, paddingInlineStart: '1.2rem' }} data-testid="verdict-reasons">
            {verdict.reasons.map((r, i) => (
              <li key={`${r.code}-${String(i)}`}>{r.message}</li>
            ))}
          </ul>
          {verdict.override && (
            <Alert color="yellow" title={t('claims.overridden', { by: verdict.override.by, before: t(`claims.verdict.${verdict.override.status_before}`) })} data-testid="override">
              {verdict.override.reason}
            </Alert>
          )}
          {claim.exclusions.length > 0 && (
            <Text size="sm">
              {t('claims.exclusions')}: {claim.exclusions.map((e) => `${t(`claims.exclusion.${e.code}`)} (${e.reason})`).join('; ')}
            </Text>
          )}
        </>
      ) : (
        <Text c="dimmed">{t('claims.verdict_none')}</Text>
      )}
      {director && !open && (
        <Group>
          <Button variant="light" onClick={() => { setOpen(true); }}>
            {t('claims.override')}
          </Button>
        </Group>
      )}
      {director && open && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const absent = !status ? t('claims.override_status_required') : !reason.trim() ? t('claims.override_reason_required') : '';
            setMissing(absent);
            if (absent || !status) return;
            override.mutate(
              { status: status as VerdictStatus, reason: reason.trim(), version: claim.version },
              {
                onSuccess: () => {
                  done(t('claims.overridden_done'), t);
                  setOpen(false);
                  setReason('');
                  setStatus(null);
                },
              },
            );
          }}
        >
          <Stack gap="sm">
            <Select
              label={t('claims.override_status')}
              required
              data={VERDICTS.filter((v) => v !== verdict?.status).map((v) => ({ value: v, label: t(`claims.verdict.${v}`) }))}
              value={status}
              onChange={setStatus}
            />
            <Textarea
              label={t('claims.override_reason')}
              required
              autosize
              minRows={2}
              maxLength={500}
              value={reason}
              onChange={(event) => {
                setReason(event.currentTarget.value);
              }}
            />
            {missing && <Alert color="red" role="alert" title={missing} />}
            <Problem error={override.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => { setOpen(false); }}>
                {t('claims.cancel_form')}
              </Button>
              <Button type="submit" loading={override.isPending}>
                {t('claims.override_save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}

/** Internal → a technician (their username); outsourced → an active partner company. */
function RoutingPanel({ found }: { found: ClaimDetail }) {
  const { t } = useTranslation();
  const claim = found.claim;
  const route = useRoute(claim.claim_id);
  const [routing, setRouting] = useState<Routing>(claim.routing ?? 'internal');
  const [technician, setTechnician] = useState('');
  const [center, setCenter] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const centers = usePartnerCenters(routing === 'outsourced');
  const technicians = useTechnicians(routing === 'internal');
  const assignee = routing === 'internal' ? technician.trim() : (center ?? '');
  return (
    <Section title={t('claims.routing_title')} testId="routing">
      <Text size="sm">
        {claim.assignee_key
          ? t('claims.routed_to', { routing: t(`claims.routing.${claim.routing ?? 'internal'}`), name: assigneeText(claim, t) })
          : t('claims.unassigned')}
      </Text>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!assignee) return;
          route.mutate(
            { routing, assignee, version: claim.version, note: note.trim() || undefined },
            {
              onSuccess: () => {
                done(t('claims.routed_done'), t);
                setNote('');
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <SegmentedControl
            aria-label={t('claims.routing_label')}
            w="fit-content"
            data={[
              { value: 'internal', label: t('claims.routing.internal') },
              { value: 'outsourced', label: t('claims.routing.outsourced') },
            ]}
            value={routing}
            onChange={(value) => {
              setRouting(value === 'outsourced' ? 'outsourced' : 'internal');
            }}
          />
          {routing === 'internal' ? (
            <Autocomplete
              label={t('claims.technician')}
              description={t('claims.technician_hint')}
              required
              data={technicians.data ?? []}
              value={technician}
              onChange={setTechnician}
            />
          ) : (
            <Select
              label={t('claims.service_company')}
              required
              searchable
              nothingFoundMessage={t('claims.no_company')}
              data={(centers.data ?? []).map((c) => ({ value: c.center_id, label: `${c.code} · ${c.name}` }))}
              value={center}
              onChange={setCenter}
              disabled={centers.isPending}
            />
          )}
          {centers.isError && <Problem error={centers.error} />}
          {technicians.isError && <Problem error={technicians.error} />}
          <TextInput
            label={t('claims.note')}
            maxLength={NOTE_MAX}
            value={note}
            onChange={(event) => {
              setNote(event.currentTarget.value);
            }}
          />
          <Problem error={route.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={route.isPending} disabled={!assignee}>
              {claim.assignee_key ? t('claims.reroute') : t('claims.route')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** Thumbnails, each opening large; the desk and the assignee add photos (presigned PUTs). */
function Photos({ claim, mayAdd }: { claim: Claim; mayAdd: boolean }) {
  const { t } = useTranslation();
  const add = useAddPhotos(claim.claim_id);
  const [files, setFiles] = useState<File[]>([]);
  const [large, setLarge] = useState<number | null>(null);
  const [problem, setProblem] = useState('');
  const shown = claim.photos.filter((p) => p.url);
  const pending = claim.photos.length - shown.length;
  const opened = large === null ? undefined : shown[large];
  const check = (picked: File[]) => {
    if (picked.length > PHOTOS_MAX) return t('claims.photos_too_many', { max: PHOTOS_MAX });
    if (picked.some((f) => !IMAGE_TYPES.includes(f.type))) return t('claims.photo_wrong_type');
    return picked.some((f) => f.size > MAX_IMAGE_BYTES) ? t('claims.photo_too_large') : '';
  };
  return (
    <Section title={t('claims.photos')} testId="photos">
      {shown.length === 0 && pending === 0 && <Text c="dimmed">{t('claims.no_photos')}</Text>}
      {shown.length > 0 && (
        <SimpleGrid cols={{ base: 3, sm: 5 }}>
          {shown.map((photo, index) => (
            <UnstyledButton
              key={photo.key}
              onClick={() => { setLarge(index); }}
              aria-label={t('claims.photo_open', { number: index + 1 })}
            >
              <Image src={photo.url} alt={t('claims.photo_alt', { number: index + 1, by: photo.by })} radius="sm" fit="cover" h={90} data-testid="claim-photo" />
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
      {pending > 0 && <Text size="sm" c="dimmed">{t('claims.photos_processing', { count: pending })}</Text>}
      <Modal opened={Boolean(opened)} onClose={() => { setLarge(null); }} size="xl" title={t('claims.photo_title', { number: (large ?? 0) + 1 })} closeButtonProps={{ 'aria-label': t('claims.close_notice') }}>
        {opened?.url && (
          <Stack gap="xs">
            <Image src={opened.url} alt={t('claims.photo_alt', { number: (large ?? 0) + 1, by: opened.by })} fit="contain" mah="70vh" />
            <Text size="sm">
              {actorName(opened.by)} · {formatDateTime(opened.at)}
            </Text>
          </Stack>
        )}
      </Modal>
      {mayAdd && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const wrong = check(files);
            setProblem(wrong);
            if (wrong || files.length === 0) return;
            add.mutate(files, {
              onSuccess: () => {
                setFiles([]);
                done(t('claims.photos_added'), t);
              },
            });
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <FileInput
              label={t('claims.photos_add')}
              description={t('claims.photos_rules', { max: PHOTOS_MAX })}
              placeholder={t('claims.photos_pick')}
              multiple
              clearable
              accept={IMAGE_TYPES.join(',')}
              clearButtonProps={{ 'aria-label': t('claims.photos_clear') }}
              value={files}
              onChange={setFiles}
              style={{ flex: '1 1 14rem' }}
            />
            <Button type="submit" variant="light" loading={add.isPending} disabled={files.length === 0}>
              {t('claims.upload')}
            </Button>
          </Group>
          {problem && <Alert mt="xs" color="red" role="alert" title={problem} />}
          <Problem error={add.error} />
        </form>
      )}
    </Section>
  );
}

/** Cost and revenue lines (appended, never edited: a correction is a negative line), totals
 * and the profit. */
function Costs({ claim, mayAdd, desk }: { claim: Claim; mayAdd: boolean; desk: boolean }) {
  const { t } = useTranslation();
  const add = useAddCost(claim.claim_id);
  const [kind, setKind] = useState<string | null>('part');
  const [payer, setPayer] = useState<string | null>('warranty');
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const [quantity, setQuantity] = useState<number | string>(1);
  const totals = claim.totals;
  return (
    <Section title={t('claims.costs')} testId="costs">
      {claim.costs.length === 0 ? (
        <Text c="dimmed">{t('claims.no_costs')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={520} scrollAreaProps={scrollable(t('claims.costs'))}>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('claims.cost_kind')}</Table.Th>
                <Table.Th scope="col">{t('claims.cost_description')}</Table.Th>
                <Table.Th scope="col">{t('claims.cost_payer')}</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'end' }}>{t('claims.cost_amount')}</Table.Th>
                <Table.Th scope="col">{t('claims.cost_by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claim.costs.map((c) => (
                <Table.Tr key={c.line_id}>
                  <Table.Td>{t(`claims.cost_kinds.${c.kind}`)}</Table.Td>
                  <Table.Td>
                    {c.description}
                    {c.quantity > 1 ? ` × ${String(c.quantity)}` : ''}
                  </Table.Td>
                  <Table.Td>{t(`claims.payers.${c.payer}`)}</Table.Td>
                  <Table.Td style={{ textAlign: 'end', whiteSpace: 'nowrap' }}>{formatVnd(c.amount_vnd)}</Table.Td>
                  <Table.Td>
                    {actorName(c.by)} · {formatDateTime(c.at)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group gap="lg" data-testid="cost-totals">
        <Fact label={t('claims.total_cost')}>{formatVnd(totals.cost_vnd ?? 0)}</Fact>
        <Fact label={t('claims.total_revenue')}>{formatVnd(totals.revenue_vnd ?? 0)}</Fact>
        <Fact label={t('claims.profit')}>{formatVnd(totals.profit_vnd ?? 0)}</Fact>
      </Group>
      {mayAdd && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!kind || !payer || !description.trim() || !amount) return;
            add.mutate(
              {
                version: claim.version,
                kind,
                payer,
                description: description.trim(),
                amount_vnd: Number(amount),
                quantity: Number(quantity) || 1,
              },
              {
                onSuccess: () => {
                  setDescription('');
                  setAmount('');
                  setQuantity(1);
                  done(t('claims.cost_added'), t);
                },
              },
            );
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <Select label={t('claims.cost_kind')} data={COST_KINDS.map((k) => ({ value: k, label: t(`claims.cost_kinds.${k}`) }))} value={kind} onChange={setKind} allowDeselect={false} w={140} />
            <TextInput
              label={t('claims.cost_description')}
              required
              maxLength={200}
              value={description}
              onChange={(event) => {
                setDescription(event.currentTarget.value);
              }}
              style={{ flex: '1 1 12rem' }}
            />
            <NumberInput label={t('claims.cost_quantity')} min={1} max={999} allowDecimal={false} value={quantity} onChange={setQuantity} w={90} />
            <NumberInput
              label={t('claims.cost_amount')}
              description={t('claims.cost_amount_hint')}
              required
              thousandSeparator="."
              decimalSeparator=","
              allowDecimal={false}
              value={amount}
              onChange={setAmount}
              w={170}
            />
            <Select label={t('claims.cost_payer')} data={PAYERS.map((p) => ({ value: p, label: t(`claims.payers.${p}`) }))} value={payer} onChange={setPayer} allowDeselect={false} w={150} />
            <Button type="submit" variant="light" loading={add.isPending}>
              {t('claims.cost_add')}
            </Button>
          </Group>
          <Problem error={add.error} />
        </form>
      )}
      {mayAdd && <ClaimStockParts claimId={claim.claim_id} version={claim.version} modelCode={claim.model_code} desk={desk} costs={claim.costs} />}
    </Section>
  );
}

/** The new unit for a replaced one: registered and linked, the old one void. */
function Replacement({ claim, mayAdd }: { claim: Claim; mayAdd: boolean }) {
  const { t } = useTranslation();
  const replace = useReplacement(claim.claim_id);
  const [serial, setSerial] = useState('');
  if (!claim.replacement_serial && !(mayAdd && claim.state === 'replaced')) return null;
  return (
    <Section title={t('claims.replacement')} testId="replacement">
      {claim.replacement_serial ? (
        <Text>
          {t('claims.replaced_by')}{' '}
          <Anchor component={Link} to={`/units/${encodeURIComponent(claim.replacement_serial)}`} ff="monospace" underline="always">
            {claim.replacement_serial}
          </Anchor>
        </Text>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!serial.trim()) return;
            replace.mutate({ new_serial: serial.trim().toUpperCase(), version: claim.version });
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <TextInput
              label={t('claims.new_serial')}
              required
              maxLength={40}
              value={serial}
              onChange={(event) => {
                setSerial(event.currentTarget.value);
              }}
            />
            <Button type="submit" variant="light" loading={replace.isPending}>
              {t('claims.replace')}
            </Button>
          </Group>
          <Problem error={replace.error} />
        </form>
      )}
    </Section>
  );
}

function fieldName(field: string, t: (key: string) => string): string {
  const key = `claims.field.${field}`;
  const text = t(key);
  return text === key ? field : text;
}

// A field's value as the history keeps it (text), in words where it is one of ours.
const VALUE_PREFIXES: Record<string, string> = {
  state: 'claims.state.',
  claim_type: 'claims.type.',
  routing: 'claims.routing.',
  decided: 'claims.verdict.',
  outcome: 'claims.state.',
  reopened_from: 'claims.state.',
  customer_confirmed: 'claims.bool.',
};
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function valueText(field: string, value: string | null, t: (key: string) => string): string {
  if (value === null || value === '') return '—';
  const prefix = VALUE_PREFIXES[field];
  if (prefix) return t(`${prefix}${value}`);
  if (field === 'quote_vnd') return formatVnd(value);
  if (field === 'assignee_key') return value.replace(/^tech#/, '');
  if (INSTANT.test(value)) return formatDateTime(value);
  if (DAY.test(value)) return formatDay(value);
  return value;
}

// The state's change is the entry's badges; a filing lists no field (the page shows them). A
// routing names the assignee (its key, `company#<id>`, is no word for a person).
function shownChanges(entry: HistoryEntry) {
  if (entry.action === 'create') return [];
  const named = entry.changes.some((c) => c.field === 'assignee_name');
  return entry.changes.filter((c) => c.field !== 'state' && !(named && c.field === 'assignee_key'));
}

/** Every change, newest first: who, when, from → to, the note, each field before and after. */
function Timeline({ history }: { history: HistoryEntry[] }) {
  const { t } = useTranslation();
  const entries = [...history].sort((a, b) => b.seq - a.seq);
  return (
    <Section title={t('claims.history')} testId="history">
      <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
        {entries.map((e) => (
          <Paper component="li" key={e.seq} withBorder p="xs" data-testid="history-entry" style={{ borderInlineStart: `4px solid ${e.visible ? 'var(--info)' : 'var(--muted)'}` }}>
            <Text size="sm" fw={600}>
              {formatDateTime(e.at)} · {actorName(e.by)}{e.by === e.actor ? '' : ` (${t(`claims.actor.${e.actor}`)})`}
            </Text>
            <Group gap={6} mt={2}>
              <Text size="sm">{t(`claims.action.${e.action}`, { defaultValue: e.action })}:</Text>
              {e.from && e.from !== e.to ? (
                <>
                  <StateBadge state={e.from} />
                  <Text size="sm" aria-hidden>
                    →
                  </Text>
                  <StateBadge state={e.to} />
                </>
              ) : (
                <StateBadge state={e.to} />
              )}
            </Group>
            {e.note && (
              <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {e.note}
              </Text>
            )}
            {shownChanges(e).length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingInlineStart: '1.2rem' }}>
                {shownChanges(e).map((c) => (
                  <li key={c.field}>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {t('claims.changed', { field: fieldName(c.field, t), before: valueText(c.field, c.before, t), after: valueText(c.field, c.after, t) })}
                    </Text>
                  </li>
                ))}
              </ul>
            )}
          </Paper>
        ))}
      </Stack>
    </Section>
  );
}

function Messages({ messages }: { messages: SentMessage[] }) {
  const { t } = useTranslation();
  return (
    <Section title={t('claims.messages')} testId="messages">
      {messages.length === 0 ? (
        <Text c="dimmed">{t('claims.no_messages')}</Text>
      ) : (
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {messages.map((m, i) => (
            <li key={m.message_id ?? `${m.kind}-${String(i)}`}>
              <Text size="sm">
                {formatDateTime(m.at ?? m.created_at)} · {t(`message.kind.${m.kind}`, { defaultValue: m.kind })}
                {m.channel ? ` · ${t(`dashboard.channel.${m.channel}`, { defaultValue: m.channel })}` : ''}
                {m.status ? ` · ${t(`message.status.${m.status}`, { defaultValue: m.status })}` : ''}
                {m.message_id && (
                  <>
                    {' · '}
                    <Anchor component={Link} to={`/messages/${encodeURIComponent(m.message_id)}`} underline="always">
                      {t('claims.message_open')}
                    </Anchor>
                  </>
                )}
              </Text>
            </li>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function Facts({ claim, fullPhone }: { claim: Claim; fullPhone: boolean }) {
  const { t } = useTranslation();
  const customer = claim.customer;
  return (
    <Paper withBorder p="md" radius="sm">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        <Fact label={t('claims.model')}>
          {claim.model_name || claim.model_code} ·{' '}
          <Anchor component={Link} to={`/units/${encodeURIComponent(claim.serial)}`} ff="monospace" underline="always">
            {claim.serial}
          </Anchor>
        </Fact>
        <Fact label={t('claims.customer')}>
          <span data-testid="customer">
            {customer.name} · {fullPhone ? localPhone(customer.phone) : maskPhone(customer.phone)}
          </span>
        </Fact>
        <Fact label={t('claims.address')}>{[customer.address, customer.province].filter(Boolean).join(', ') || '—'}</Fact>
        <Fact label={t('claims.type_label')}>{t(`claims.type.${claim.claim_type}`)}</Fact>
        <Fact label={t('claims.assignee')}>{assigneeText(claim, t)}</Fact>
        <Fact label={t('claims.age')}>
          <Group gap={4}>
            {ageText(claim.ageing_hours, t)}
            {claim.breached && <BreachedBadge />}
          </Group>
        </Fact>
        <Fact label={t('claims.created')}>
          {formatDateTime(claim.created_at)} · {t(`claims.channel.${claim.channel}`, { defaultValue: claim.channel })}
        </Fact>
        <Fact label={t('claims.due')}>{formatDateTime(claim.due_at)}</Fact>
        <Fact label={t('claims.preferred_time')}>{claim.preferred_time || '—'}</Fact>
        <Fact label={t('claims.appointment')}>{formatDateTime(claim.appointment)}</Fact>
        <Fact label={t('claims.expected_return')}>{formatDay(claim.expected_return)}</Fact>
        {claim.quote_vnd !== null && <Fact label={t('claims.quote_vnd')}>{formatVnd(claim.quote_vnd)}</Fact>}
        {claim.reopen_count > 0 && <Fact label={t('claims.reopened')}>{t('claims.reopen_count', { count: claim.reopen_count })}</Fact>}
        {claim.rating !== null && (
          <Fact label={t('claims.rating')}>
            {t('claims.rating_value', { rating: claim.rating })} {claim.rating_note}
          </Fact>
        )}
      </SimpleGrid>
      <Fact label={t('claims.description')}>
        <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{claim.description}</Text>
      </Fact>
    </Paper>
  );
}

/** One request: header (state, verdict), facts, the caller's moves, the verdict with its
 * reasons (the director overrides), routing (the desk), photos, costs, replacement, the messages
 * the customer was sent and the whole history. */
export function ClaimPage() {
  const { t } = useTranslation();
  const { claimId = '' } = useParams();
  const found = useClaim(claimId);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const desk = roles.some((r) => DESK.includes(r));
  const data = found.data;
  const workshop = data?.actor === 'desk' || data?.actor === 'assignee';
  const claim = data?.claim;
  const showRouting = claim && data.actor === 'desk' && (data.moves.includes('routed') || claim.state === 'routed');
  return (
    <Stack>
      <Anchor component={Link} to={desk || roles.includes('accountant') ? '/claims' : '/claims/mine'}>
        {desk || roles.includes('accountant') ? t('claims.back') : t('claims.back_mine')}
      </Anchor>
      <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
        {t('claims.heading', { id: claimId })}
      </Title>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {data && claim && (
        <>
          <Group gap="xs" data-testid="claim-head">
            <StateBadge state={claim.state} />
            <VerdictBadge status={claim.verdict?.status ?? null} />
            {claim.breached && <BreachedBadge />}
            <Text size="sm">{t('claims.version', { version: claim.version })}</Text>
            {roles.some((r) => TICKET_DESK.includes(r)) && (
              <Button
                component={Link}
                to={`/maintenance?book=${encodeURIComponent(claim.serial)}&claim=${encodeURIComponent(claim.claim_id)}`}
                variant="default"
                size="compact-sm"
              >
                {t('claims.book_maintenance')}
              </Button>
            )}
          </Group>
          {workshop && (
            <Section title={t('claims.moves')} testId="moves">
              <Moves found={data} />
            </Section>
          )}
          {/* the assignee calls the customer to arrange the visit */}
          <Facts claim={claim} fullPhone={roles.some((r) => PHONE_READERS.includes(r)) || data.actor === 'assignee'} />
          <VerdictPanel claim={claim} director={roles.includes('director')} />
          {showRouting && <RoutingPanel found={data} />}
          <Photos claim={claim} mayAdd={workshop} />
          <Costs claim={claim} mayAdd={workshop} desk={data.actor === 'desk'} />
          <Replacement claim={claim} mayAdd={workshop} />
          {(desk || roles.includes('accountant')) && <Messages messages={data.messages ?? claim.messages ?? []} />}
          <Timeline history={data.history} />
        </>
      )}
    </Stack>
  );
}
