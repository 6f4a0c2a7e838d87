import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  CloseButton,
  FileInput,
  Group,
  Image,
  Loader,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Problem, Section } from '../../components/Section';
import { useSession } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { Field } from '../../components/Field';
import { localPhone, usePartnerCenters, useTechnicians } from '../claims/api';
import { actorName, formatDateTime, formatDay, formatVnd } from '../format';
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from '../claims/api';
import { partName, placesFor, useParts, usePlaces } from './stockApi';
import { DayPartSelect } from './DayPartSelect';
import { TicketStatusBadge } from './TicketsPage';
import {
  NOTES_MAX,
  PAYMENT_METHODS,
  PHOTOS_MAX,
  REASON_MAX,
  componentName,
  isOwnVersion,
  useAddTicketPhotos,
  useTicket,
  useTicketMove,
  type DayPart,
  type PaymentMethod,
  type Ticket,
  type TicketMove,
} from './ticketsApi';

function useMove(ticket: Ticket) {
  const { t } = useTranslation();
  const move = useTicketMove(ticket.ticket_id);
  const run = (action: TicketMove, body?: object, after?: () => void) => {
    move.mutate(
      { action, version: ticket.version, body },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t(`tickets.done.${action}`), closeButtonProps: { 'aria-label': t('tickets.close') } });
          after?.();
        },
      },
    );
  };
  return { move, run };
}

/** The desk's moves on an open ticket: assign (a technician or a partner company), move the
 * slot, cancel with a reason. */
function DeskMoves({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { move, run } = useMove(ticket);
  const [kind, setKind] = useState<'tech' | 'company'>('tech');
  const [assignee, setAssignee] = useState<string | null>(null);
  const [day, setDay] = useState(ticket.slot.day);
  const [part, setPart] = useState<DayPart>(ticket.slot.part);
  const [reason, setReason] = useState('');
  const technicians = useTechnicians(kind === 'tech');
  const centers = usePartnerCenters(kind === 'company');
  const options =
    kind === 'tech'
      ? (technicians.data ?? []).map((name) => ({ value: `tech#${name}`, label: name }))
      : (centers.data ?? []).map((c) => ({ value: `company#${c.center_id}`, label: `${c.name} (${c.code})` }));
  return (
    <Section title={t('tickets.desk_title')} testId="desk-moves">
      <Problem error={move.error} />
      <Stack gap="xs">
        <SegmentedControl
          aria-label={t('tickets.assignee_kind')}
          w="fit-content"
          data={[
            { value: 'tech', label: t('tickets.kind.tech') },
            { value: 'company', label: t('tickets.kind.company') },
          ]}
          value={kind}
          onChange={(value) => {
            setKind(value === 'company' ? 'company' : 'tech');
            setAssignee(null);
          }}
        />
        <Group align="flex-end" gap="sm">
          <Select
            label={kind === 'tech' ? t('tickets.technician') : t('tickets.company')}
            data={options}
            value={assignee}
            onChange={setAssignee}
            searchable
            w={280}
          />
          <Button
            disabled={!assignee}
            loading={move.isPending && move.variables.action === 'assign'}
            onClick={() => {
              if (assignee) run('assign', { assignee });
            }}
          >
            {t('tickets.assign')}
          </Button>
        </Group>
      </Stack>
      <Group align="flex-end" gap="sm">
        <DayInput label={t('tickets.day')} value={day} onChange={setDay} />
        <DayPartSelect value={part} onChange={setPart} w={160} />
        <Button
          variant="light"
          disabled={!day || (day === ticket.slot.day && part === ticket.slot.part)}
          onClick={() => {
            run('reschedule', { day, part, note: ticket.slot.note });
          }}
        >
          {t('tickets.reschedule')}
        </Button>
      </Group>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('tickets.cancel_reason')}
          value={reason}
          maxLength={REASON_MAX}
          onChange={(e) => {
            setReason(e.currentTarget.value);
          }}
          w={320}
        />
        <Button
          color="red"
          variant="light"
          disabled={!reason.trim()}
          onClick={() => {
            run('cancel', { reason: reason.trim() }, () => {
              setReason('');
            });
          }}
        >
          {t('tickets.cancel')}
        </Button>
      </Group>
    </Section>
  );
}

/** The visit's record on site (the assignee, or the desk): the checklist, notes, labour, the
 * payment collected, who confirmed for the customer; then "complete". */
function Work({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { move, run } = useMove(ticket);
  const [checked, setChecked] = useState(ticket.checklist.map((c) => c.done));
  const [notes, setNotes] = useState(ticket.notes);
  const [labour, setLabour] = useState<number | string>(ticket.labour_vnd);
  const [paid, setPaid] = useState<number | string>(ticket.payment?.amount_vnd ?? '');
  const [method, setMethod] = useState<PaymentMethod>(ticket.payment?.method ?? 'cash');
  const [confirmedBy, setConfirmedBy] = useState(ticket.confirmed_by);
  // someone else changed the ticket (a reload after `maintenance_ticket_changed`): the form
  // shows what is saved now, never sends its old values over the new version; this page's own
  // moves (a part added, the record saved) keep what the user typed
  const [seen, setSeen] = useState(ticket.version);
  if (ticket.version !== seen) {
    setSeen(ticket.version);
    if (!isOwnVersion(ticket.ticket_id, ticket.version)) {
      setChecked(ticket.checklist.map((c) => c.done));
      setNotes(ticket.notes);
      setLabour(ticket.labour_vnd);
      setPaid(ticket.payment?.amount_vnd ?? '');
      setMethod(ticket.payment?.method ?? 'cash');
      setConfirmedBy(ticket.confirmed_by);
    }
  }
  const partsAmount = ticket.parts.reduce((sum, used) => sum + used.amount_vnd, 0);
  const amount = ticket.price_vnd + partsAmount + (Number(labour) || 0);
  const body = () => ({
    checked,
    notes: notes.trim(),
    labour_vnd: Number(labour) || 0,
    payment: paid === '' ? null : { amount_vnd: Number(paid), method },
    confirmed_by: confirmedBy.trim(),
  });
  const fieldError = (name: string) => move.error?.fields.find((f) => f.field === name || f.field.startsWith(`${name}.`))?.message;
  if (ticket.status === 'assigned') {
    return (
      <Section title={t('tickets.work_title')} testId="work">
        <Problem error={move.error} />
        <Text>{t('tickets.start_hint')}</Text>
        <Button
          w="fit-content"
          size="md"
          loading={move.isPending}
          onClick={() => {
            run('start');
          }}
        >
          {t('tickets.start')}
        </Button>
      </Section>
    );
  }
  return (
    <Section title={t('tickets.work_title')} testId="work">
      <Problem error={move.error} />
      {ticket.checklist.length > 0 && (
        <Checkbox.Group label={t('tickets.checklist')} value={checked.flatMap((done, i) => (done ? [String(i)] : []))} onChange={(values) => { setChecked(ticket.checklist.map((_, i) => values.includes(String(i)))); }} error={fieldError('checked')}>
          <Stack gap={6} mt={4}>
            {ticket.checklist.map((check, i) => (
              <Checkbox key={check.text} value={String(i)} label={check.text} size="md" />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
      <Textarea label={t('tickets.notes')} autosize minRows={2} maxLength={NOTES_MAX} value={notes} onChange={(e) => { setNotes(e.currentTarget.value); }} error={fieldError('notes')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput label={t('tickets.labour')} min={0} step={10000} thousandSeparator="." decimalSeparator="," allowDecimal={false} value={labour} onChange={setLabour} error={fieldError('labour_vnd')} />
        <Field label={t('tickets.amount')}>
          <span data-testid="ticket-amount">{formatVnd(amount)}</span>
          <Text size="xs" c="dimmed">
            {t('tickets.amount_hint', { price: formatVnd(ticket.price_vnd), parts: formatVnd(partsAmount) })}
          </Text>
        </Field>
        <NumberInput label={t('tickets.paid')} min={0} step={10000} thousandSeparator="." decimalSeparator="," allowDecimal={false} value={paid} onChange={setPaid} error={fieldError('payment')} />
        <Select
          label={t('tickets.method')}
          data={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`tickets.method_name.${m}`) }))}
          value={method}
          allowDeselect={false}
          onChange={(value) => {
            if (value) setMethod(value);
          }}
        />
      </SimpleGrid>
      <TextInput label={t('tickets.confirmed_by')} description={t('tickets.confirmed_by_hint')} value={confirmedBy} maxLength={100} onChange={(e) => { setConfirmedBy(e.currentTarget.value); }} error={fieldError('confirmed_by')} />
      <Group gap="sm">
        <Button
          variant="light"
          size="md"
          loading={move.isPending && move.variables.action === 'work'}
          onClick={() => {
            run('work', body());
          }}
        >
          {t('tickets.save_work')}
        </Button>
        <Button
          size="md"
          color="green"
          loading={move.isPending && move.variables.action === 'finish'}
          onClick={() => {
            run('finish', body());
          }}
        >
          {t('tickets.complete')}
        </Button>
      </Group>
    </Section>
  );
}

/** The spare parts used on the visit: each taken from a place's stock (the technician's own
 * van first), each can be taken back while the ticket is open. */
function Parts({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const username = session.status === 'signed_in' ? session.session.username : '';
  const parts = useParts();
  const places = usePlaces(editable);
  const { move, run } = useMove(ticket);
  const company = session.status === 'signed_in' && session.session.roles.every((r) => r === 'service');
  const allowed = placesFor(places.data ?? [], { desk: ticket.role === 'desk', username, company });
  const mine = allowed.find((p) => p.holder !== null)?.location_id ?? null;
  const [part, setPart] = useState<string | null>(null);
  const [qty, setQty] = useState<number | string>(1);
  const [place, setPlace] = useState<string | null>(null);
  const chosenPlace = place ?? mine;
  const fits = (parts.data ?? []).filter((p) => p.active && (p.models.length === 0 || p.models.includes(ticket.model_code)));
  const fieldError = (name: string) => move.error?.fields.find((f) => f.field === name)?.message;
  return (
    <Section title={t('tickets.parts_title')} testId="ticket-parts">
      <Problem error={move.error && !move.error.fields.length ? move.error : null} />
      {ticket.parts.length === 0 ? (
        <Text c="dimmed">{t('tickets.no_parts')}</Text>
      ) : (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {ticket.parts.map((used, index) => (
            <Group key={`${used.code}-${String(index)}`} component="li" justify="space-between" wrap="nowrap" gap="xs">
              <div>
                <Text>
                  {used.name} × {used.qty} {used.unit}
                </Text>
                <Text size="xs" c="dimmed">
                  {used.code} · {used.location_id} · {formatVnd(used.amount_vnd)}
                </Text>
              </div>
              {editable && (
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  onClick={() => {
                    run('parts/return', { index });
                  }}
                >
                  {t('tickets.part_return')}
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {editable && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('tickets.part')}
            data={fits.map((p) => ({ value: p.code, label: `${partName(p, i18n.language)} (${p.code})` }))}
            value={part}
            onChange={setPart}
            searchable
            error={fieldError('part_code')}
          />
          <NumberInput label={t('tickets.part_qty')} min={1} max={1000} allowDecimal={false} value={qty} onChange={setQty} error={fieldError('qty')} />
          <Select
            label={t('tickets.part_place')}
            data={allowed.map((p) => ({ value: p.location_id, label: `${p.name} (${p.location_id})` }))}
            value={chosenPlace}
            onChange={setPlace}
            error={fieldError('location')}
          />
        </SimpleGrid>
      )}
      {editable && (
        <Button
          w="fit-content"
          variant="light"
          disabled={!part || !chosenPlace}
          loading={move.isPending}
          onClick={() => {
            if (part && chosenPlace) {
              run('parts', { part_code: part, qty: Number(qty), location: chosenPlace }, () => {
                setPart(null);
                setQty(1);
              });
            }
          }}
        >
          {t('tickets.part_add')}
        </Button>
      )}
    </Section>
  );
}

/** Photos of the visit (the parts before and after): thumbnails opening full size; the
 * assignee (or the desk) adds them from the phone's camera or gallery while the ticket is open. */
function Photos({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const add = useAddTicketPhotos(ticket.ticket_id);
  const { move, run } = useMove(ticket);
  const [files, setFiles] = useState<File[]>([]);
  const [problem, setProblem] = useState('');
  const room = PHOTOS_MAX - ticket.photos.length;
  const check = (picked: File[]) => {
    if (picked.length > room) return t('tickets.photos_too_many', { count: room });
    if (picked.some((f) => !IMAGE_TYPES.includes(f.type))) return t('tickets.photo_wrong_type');
    return picked.some((f) => f.size > MAX_IMAGE_BYTES) ? t('tickets.photo_too_large') : '';
  };
  return (
    <Section title={t('tickets.photos')} testId="ticket-photos">
      {ticket.photos.length === 0 && <Text c="dimmed">{t('tickets.no_photos')}</Text>}
      {ticket.photos.length > 0 && (
        <SimpleGrid cols={{ base: 3, sm: 5 }}>
          {ticket.photos.map((photo, index) => (
            <div key={photo.key} style={{ position: 'relative' }}>
              <Anchor href={photo.url ?? undefined} target="_blank" rel="noreferrer">
                <Image src={photo.url} alt={t('tickets.photo_alt', { number: index + 1 })} radius="sm" fit="cover" h={90} data-testid="ticket-photo" />
              </Anchor>
              {editable && (
                <CloseButton
                  size="sm"
                  variant="filled"
                  pos="absolute"
                  top={4}
                  right={4}
                  disabled={move.isPending}
                  aria-label={t('tickets.photo_remove', { number: index + 1 })}
                  onClick={() => {
                    run('photos/remove', { key: photo.key });
                  }}
                />
              )}
            </div>
          ))}
        </SimpleGrid>
      )}
      {editable && room > 0 && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const wrong = check(files);
            setProblem(wrong);
            if (wrong || files.length === 0) return;
            add.mutate(
              {
                files,
                version: ticket.version,
                onEach: (file) => {
                  setFiles((left) => left.filter((f) => f !== file));
                },
              },
              {
                onSuccess: () => {
                  setFiles([]);
                  notifications.show({ color: 'green', message: t('tickets.photos_added'), closeButtonProps: { 'aria-label': t('tickets.close') } });
                },
              },
            );
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <FileInput
              label={t('tickets.photos_add')}
              description={t('tickets.photos_rules', { max: PHOTOS_MAX })}
              placeholder={t('tickets.photos_pick')}
              multiple
              clearable
              accept={IMAGE_TYPES.join(',')}
              clearButtonProps={{ 'aria-label': t('tickets.photos_clear') }}
              value={files}
              onChange={setFiles}
              style={{ flex: '1 1 14rem' }}
            />
            <Button type="submit" variant="light" loading={add.isPending} disabled={files.length === 0}>
              {t('tickets.upload')}
            </Button>
          </Group>
          {problem && <Alert mt="xs" color="red" role="alert" title={problem} />}
          <Problem error={add.error} />
        </form>
      )}
      <Problem error={move.error} />
    </Section>
  );
}

/** What was done, once the ticket is closed. */
function Record({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  return (
    <Section title={t('tickets.record_title')} testId="record">
      {ticket.status === 'cancelled' ? (
        <Field label={t('tickets.cancel_reason')}>{ticket.cancel_reason}</Field>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label={t('tickets.done_on')}>{formatDay(ticket.done_on)}</Field>
          <Field label={t('tickets.confirmed_by')}>{ticket.confirmed_by || '—'}</Field>
          <Field label={t('tickets.amount')}>{formatVnd(ticket.amount_vnd)}</Field>
          <Field label={t('tickets.paid')}>
            {ticket.payment ? `${formatVnd(ticket.payment.amount_vnd)} · ${t(`tickets.method_name.${ticket.payment.method}`)}` : '—'}
          </Field>
          <Field label={t('tickets.notes')}>{ticket.notes || '—'}</Field>
          <Field label={t('tickets.checklist')}>
            {ticket.checklist.length ? ticket.checklist.map((c) => `${c.done ? '✓' : '✗'} ${c.text}`).join(' · ') : '—'}
          </Field>
        </SimpleGrid>
      )}
    </Section>
  );
}

function History({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  return (
    <Section title={t('tickets.history')} testId="ticket-history">
      <Timeline bulletSize={14} lineWidth={2} active={ticket.history.length}>
        {ticket.history.map((change) => (
          <Timeline.Item key={change.seq} title={t(`tickets.action.${change.action}`)}>
            <Text size="sm" c="dimmed">
              {formatDateTime(change.at)} · {actorName(change.by)}
            </Text>
            {change.note && <Text size="sm">{change.note}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
    </Section>
  );
}

/** One maintenance ticket: the visit (unit, component, slot, customer), the desk's moves, the
 * assignee's record on site (a phone shows it whole), the history; "print" opens the A5 sheet. */
export function TicketPage() {
  const { t, i18n } = useTranslation();
  const { ticketId = '' } = useParams();
  const found = useTicket(ticketId);
  if (found.isPending) return <Loader role="status" aria-label={t('state.loading')} />;
  if (found.isError) return <Alert color="red" role="alert" title={found.error.message} />;
  const ticket = found.data;
  const open = ticket.status !== 'done' && ticket.status !== 'cancelled';
  const customer = ticket.customer;
  return (
    <Stack data-testid="ticket-page">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Title order={1} size="h2">
            {t('tickets.ticket_title', { id: ticket.ticket_id })}
          </Title>
          <TicketStatusBadge status={ticket.status} />
        </Group>
        <Button component={Link} to={`/maintenance/tickets/${ticket.ticket_id}/print`} variant="default">
          {t('tickets.print')}
        </Button>
      </Group>
      <Section title={t('tickets.visit_title')} testId="visit">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          <Field label={t('tickets.slot')}>
            {formatDay(ticket.slot.day)} · {t(`tickets.part.${ticket.slot.part}`)}
            {ticket.slot.note && (
              <Text size="sm" c="dimmed">
                {ticket.slot.note}
              </Text>
            )}
          </Field>
          <Field label={t('tickets.unit')}>
            {ticket.role === 'desk' ? <Anchor component={Link} to={`/units/${encodeURIComponent(ticket.serial)}`}>{ticket.serial}</Anchor> : ticket.serial} · {ticket.model_code}
          </Field>
          <Field label={t('tickets.component')}>
            {componentName(ticket.component, i18n.language)} · {t('tickets.occurrence', { n: ticket.occurrence })}
          </Field>
          <Field label={t('tickets.customer')}>
            {customer.name}
            <div>
              {ticket.role ? <Anchor href={`tel:${customer.phone}`}>{localPhone(customer.phone)}</Anchor> : customer.phone}
            </div>
          </Field>
          <Field label={t('tickets.address')}>{[customer.address, customer.province].filter(Boolean).join(', ') || '—'}</Field>
          <Field label={t('tickets.assignee')}>{ticket.assignee_name ?? t('tickets.unassigned')}</Field>
          <Field label={t('tickets.source')}>
            {t(`tickets.source_name.${ticket.source}`)} · {formatDateTime(ticket.created_at)}
            {ticket.claim_id && (
              <div>
                {ticket.role === 'desk' ? <Anchor component={Link} to={`/claims/${ticket.claim_id}`}>{ticket.claim_id}</Anchor> : ticket.claim_id}
              </div>
            )}
          </Field>
          <Field label={t('tickets.amount')}>{formatVnd(ticket.amount_vnd)}</Field>
        </SimpleGrid>
      </Section>
      {open && ticket.role === 'desk' && <DeskMoves key={ticket.version} ticket={ticket} />}
      {(ticket.parts.length > 0 || (open && ticket.role && ticket.status !== 'new')) && (
        <Parts ticket={ticket} editable={open && ticket.role !== null && ticket.status !== 'new'} />
      )}
      {(ticket.photos.length > 0 || (open && ticket.role && ticket.status !== 'new')) && (
        <Photos ticket={ticket} editable={open && ticket.role !== null && ticket.status !== 'new'} />
      )}
      {open && ticket.role && ticket.status !== 'new' && <Work key={ticket.ticket_id} ticket={ticket} />}
      {!open && <Record ticket={ticket} />}
      <History ticket={ticket} />
    </Stack>
  );
}
