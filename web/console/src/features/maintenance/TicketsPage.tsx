import { Alert, Badge, Button, Card, Group, Loader, Modal, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { useRoles } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { useUrlFilters } from '../../components/useUrlFilters';
import { localPhone } from '../claims/api';
import { formatDay, formatVnd } from '../format';
import { DayPartSelect } from './DayPartSelect';
import { TicketCalendar } from './TicketCalendar';
import {
  STAGES,
  TICKET_DESK,
  TICKET_STATUSES,
  componentName,
  useBookVisit,
  useDue,
  useTickets,
  type DayPart,
  type DueLine,
  type Stage,
  type TicketStatus,
  type TicketSummary,
} from './ticketsApi';

const STATUS_COLORS: Record<TicketStatus, string> = {
  new: 'orange',
  assigned: 'blue',
  started: 'cyan',
  done: 'green',
  cancelled: 'gray',
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="ticket-status">
      {t(`tickets.status.${status}`)}
    </Badge>
  );
}

function slotText(day: string, part: DayPart, t: (key: string) => string): string {
  return `${formatDay(day)} · ${t(`tickets.part.${part}`)}`;
}

/** One status's tickets by slot day, as a table (a row opens the ticket). */
function TicketsTable({ tickets, caption }: { tickets: TicketSummary[]; caption: string }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  if (tickets.length === 0) return <Text c="dimmed">{t('tickets.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover aria-label={caption} data-testid="tickets-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tickets.ticket')}</Table.Th>
            <Table.Th>{t('tickets.slot')}</Table.Th>
            <Table.Th>{t('tickets.unit')}</Table.Th>
            <Table.Th>{t('tickets.component')}</Table.Th>
            <Table.Th>{t('tickets.customer')}</Table.Th>
            <Table.Th>{t('tickets.assignee')}</Table.Th>
            <Table.Th ta="right">{t('tickets.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.map((ticket) => (
            <Table.Tr
              key={ticket.ticket_id}
              style={{ cursor: 'pointer' }}
              onClick={() => {
                void navigate(`/maintenance/tickets/${ticket.ticket_id}`);
              }}
            >
              <Table.Td>
                <Link to={`/maintenance/tickets/${ticket.ticket_id}`} onClick={(event) => { event.stopPropagation(); }}>
                  {ticket.ticket_id}
                </Link>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{slotText(ticket.slot.day, ticket.slot.part, t)}</Table.Td>
              <Table.Td>
                {ticket.serial}
                <Text size="xs" c="dimmed">
                  {ticket.model_code}
                </Text>
              </Table.Td>
              <Table.Td>{componentName(ticket.component, i18n.language)}</Table.Td>
              <Table.Td>
                {ticket.customer.name}
                <Text size="xs" c="dimmed">
                  {localPhone(ticket.customer.phone)}
                  {ticket.customer.province ? ` · ${ticket.customer.province}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>{ticket.assignee_name ?? <Text c="dimmed">{t('tickets.unassigned')}</Text>}</Table.Td>
              <Table.Td ta="right">{formatVnd(ticket.amount_vnd)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The due list: one stage's lines by due day; a line not yet booked can be booked here. */
function DueTable({ lines, onBook, mayBook }: { lines: DueLine[]; onBook: (line: DueLine) => void; mayBook: boolean }) {
  const { t, i18n } = useTranslation();
  if (lines.length === 0) return <Text c="dimmed">{t('tickets.due_empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped aria-label={t('tickets.due_title')} data-testid="due-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tickets.due_day')}</Table.Th>
            <Table.Th>{t('tickets.unit')}</Table.Th>
            <Table.Th>{t('tickets.component')}</Table.Th>
            <Table.Th>{t('tickets.owner')}</Table.Th>
            <Table.Th>{t('tickets.reminders')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line) => (
            <Table.Tr key={`${line.serial}#${line.component.code}`}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {formatDay(line.due)}
                {line.booking && (
                  <Text size="xs" c="dimmed">
                    {t('tickets.booked_for', { slot: slotText(line.booking.day, line.booking.part, t) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Link to={`/units/${encodeURIComponent(line.serial)}`}>{line.serial}</Link>
                <Text size="xs" c="dimmed">
                  {line.model_code}
                </Text>
              </Table.Td>
              <Table.Td>
                {componentName(line.component, i18n.language)}
                <Text size="xs" c="dimmed">
                  {t('tickets.occurrence', { n: line.occurrence })}
                </Text>
              </Table.Td>
              <Table.Td>
                {line.owner ? (
                  <>
                    {line.owner.name}
                    <Text size="xs" c="dimmed">
                      {line.owner.phone}
                      {line.owner.province ? ` · ${line.owner.province}` : ''}
                    </Text>
                  </>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{line.reminders}</Table.Td>
              <Table.Td>
                {mayBook && line.stage !== 'booked' && (
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => {
                      onBook(line);
                    }}
                  >
                    {t('tickets.book')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The desk books a visit by hand (a phone call, a walk-in): the unit's line is booked and its
 * ticket opened; the page opens the new ticket. */
function BookVisit({ initial, onClose }: { initial: { serial: string; component: string; claimId?: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const book = useBookVisit();
  const [serial, setSerial] = useState(initial.serial);
  const [component, setComponent] = useState(initial.component);
  const [day, setDay] = useState('');
  const [part, setPart] = useState<DayPart>('morning');
  const [note, setNote] = useState('');
  const [dayMissing, setDayMissing] = useState(false);
  const fieldError = (name: string) => book.error?.fields.find((f) => f.field === name)?.message;
  return (
    <Modal opened onClose={onClose} title={t('tickets.book_title')}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setDayMissing(!day);
          if (!day) return;
          book.mutate(
            { serial: serial.trim(), component: component.trim(), day, part, note: note.trim(), ...(initial.claimId ? { claim_id: initial.claimId } : {}) },
            {
              onSuccess: (ticket) => {
                notifications.show({ color: 'green', message: t('tickets.booked', { id: ticket.ticket_id }), closeButtonProps: { 'aria-label': t('tickets.close') } });
                onClose();
                void navigate(`/maintenance/tickets/${ticket.ticket_id}`);
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          {book.error && !book.error.fields.length && <Alert color="red" role="alert" title={book.error.message} />}
          {initial.claimId && <Text size="sm">{t('tickets.from_claim', { id: initial.claimId })}</Text>}
          {fieldError('claim_id') && <Alert color="red" role="alert" title={fieldError('claim_id')} />}
          <TextInput label={t('tickets.serial')} required value={serial} onChange={(e) => { setSerial(e.currentTarget.value); }} error={fieldError('serial')} />
          <TextInput label={t('tickets.component_code')} required value={component} onChange={(e) => { setComponent(e.currentTarget.value); }} error={fieldError('component')} />
          <DayInput label={t('tickets.day')} value={day} onChange={setDay} error={dayMissing ? t('tickets.day_required') : fieldError('day')} />
          <DayPartSelect value={part} onChange={setPart} />
          <Textarea label={t('tickets.slot_note')} value={note} maxLength={300} onChange={(e) => { setNote(e.currentTarget.value); }} error={fieldError('note')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('tickets.close')}
            </Button>
            <Button type="submit" loading={book.isPending}>
              {t('tickets.book')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const FILTERS = ['view', 'status', 'stage', 'from', 'until', 'week', 'book', 'claim'] as const;

/** Maintenance for the desk: the tickets by status (new first: the bookings to assign) and the
 * due list by stage (overdue first: the customers to call), each by day. */
interface DigestFigures {
  day: string;
  visits_today: number;
  unassigned: number;
  awaiting: number;
  overdue: number;
  short_parts: number;
  cap: number;
}

/** Today's figures (the desk's daily message gives the same), each a link to its list. */
function Today() {
  const { t } = useTranslation();
  const found = useQuery<DigestFigures, ApiError>({
    queryKey: ['maintenance-digest'],
    queryFn: ({ signal }) => api<DigestFigures>('/maintenance/digest', { signal }),
  });
  if (!found.data) return null;
  const d = found.data;
  const shown = (n: number) => (n > d.cap ? `${String(d.cap)}+` : String(n));
  const items: { key: string; value: number; to: string }[] = [
    { key: 'visits_today', value: d.visits_today, to: '/maintenance?view=calendar' },
    { key: 'unassigned', value: d.unassigned, to: '/maintenance?status=new' },
    { key: 'awaiting', value: d.awaiting, to: '/maintenance?view=due&stage=reminded' },
    { key: 'overdue', value: d.overdue, to: '/maintenance?view=due&stage=overdue' },
    { key: 'short_parts', value: d.short_parts, to: '/maintenance/stock?short=1' },
  ];
  return (
    <Group gap="xs" data-testid="maintenance-today" aria-label={t('tickets.today')} role="group">
      {items.map((item) => (
        <Button
          key={item.key}
          component={Link}
          to={item.to}
          variant={item.value > 0 && (item.key === 'overdue' || item.key === 'short_parts') ? 'light' : 'default'}
          color={item.value > 0 && (item.key === 'overdue' || item.key === 'short_parts') ? 'red' : undefined}
          size="compact-md"
        >
          {t(`tickets.today_${item.key}`, { n: shown(item.value) })}
        </Button>
      ))}
    </Group>
  );
}

export function TicketsPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const desk = roles.some((r) => TICKET_DESK.includes(r));
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const view = filters.view === 'due' || filters.view === 'calendar' ? filters.view : 'tickets';
  const status = (TICKET_STATUSES as readonly string[]).includes(filters.status) ? (filters.status as TicketStatus) : 'new';
  const stage = (STAGES as readonly string[]).includes(filters.stage) ? (filters.stage as Stage) : 'overdue';
  const span = { from: filters.from || undefined, until: filters.until || undefined };
  const tickets = useTickets(view === 'tickets' ? status : null, span, false, view === 'tickets');
  const due = useDue(stage, span, view === 'due');
  // a service request's "book a maintenance visit" opens the booking with its unit
  const [booking, setBooking] = useState<{ serial: string; component: string; claimId?: string } | null>(
    filters.book ? { serial: filters.book, component: '', ...(/^SR-[0-9A-Z]{8}$/.test(filters.claim) ? { claimId: filters.claim } : {}) } : null,
  );
  const shown = view === 'tickets' ? tickets : due;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('tickets.title')}
        </Title>
        <Group gap="xs">
          <Button component={Link} to="/maintenance/plans" variant="default">
            {t('maintenance.nav')}
          </Button>
          {desk && (
            <Button
              onClick={() => {
                setBooking({ serial: '', component: '' });
              }}
            >
              {t('tickets.book_new')}
            </Button>
          )}
        </Group>
      </Group>
      <Today />
      <SegmentedControl
        aria-label={t('tickets.view')}
        w="fit-content"
        data={[
          { value: 'tickets', label: t('tickets.tickets') },
          { value: 'calendar', label: t('tickets.calendar') },
          { value: 'due', label: t('tickets.due_title') },
        ]}
        value={view}
        onChange={(value) => {
          setFilters({ view: value === 'tickets' ? '' : value });
        }}
      />
      {view === 'calendar' && (
        <TicketCalendar
          week={/^\d{4}-\d{2}-\d{2}$/.test(filters.week) ? filters.week : dayjs().format('YYYY-MM-DD')}
          onWeek={(monday) => {
            setFilters({ week: monday });
          }}
        />
      )}
      {view !== 'calendar' && (
      <Group align="flex-end" gap="sm" wrap="wrap">
        {view === 'tickets' ? (
          <SegmentedControl
            aria-label={t('tickets.status_label')}
            data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`tickets.status.${s}`) }))}
            value={status}
            onChange={(value) => {
              setFilters({ status: value === 'new' ? '' : value });
            }}
          />
        ) : (
          <SegmentedControl
            aria-label={t('tickets.stage_label')}
            data={STAGES.map((s) => ({ value: s, label: t(`tickets.stage.${s}`) }))}
            value={stage}
            onChange={(value) => {
              setFilters({ stage: value === 'overdue' ? '' : value });
            }}
          />
        )}
        <DayInput label={t('tickets.from')} value={filters.from} onChange={(day) => { setFilters({ from: day }); }} />
        <DayInput label={t('tickets.until')} value={filters.until} onChange={(day) => { setFilters({ until: day }); }} />
      </Group>
      )}
      {view !== 'calendar' && shown.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {view !== 'calendar' && shown.isError && <Alert color="red" role="alert" title={shown.error.message} />}
      {view === 'tickets' && tickets.data && <TicketsTable tickets={tickets.data} caption={t(`tickets.status.${status}`)} />}
      {view === 'due' && due.data && (
        <DueTable
          lines={due.data}
          mayBook={desk}
          onBook={(line) => {
            setBooking({ serial: line.serial, component: line.component.code });
          }}
        />
      )}
      {booking && (
        <BookVisit
          initial={booking}
          onClose={() => {
            setBooking(null);
            if (filters.book || filters.claim) setFilters({ book: '', claim: '' });
          }}
        />
      )}
    </Stack>
  );
}

/** "My tickets": a technician's (or a partner company's) visits, open ones first, as cards a
 * phone shows whole; each opens the ticket, where the visit is worked and completed. */
export function MyTicketsPage() {
  const { t, i18n } = useTranslation();
  const tickets = useTickets(null, {}, true);
  const open = (tickets.data ?? []).filter((x) => x.status !== 'done' && x.status !== 'cancelled');
  const closed = (tickets.data ?? []).filter((x) => x.status === 'done' || x.status === 'cancelled');
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('tickets.mine_title')}
      </Title>
      {tickets.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {tickets.isError && <Alert color="red" role="alert" title={tickets.error.message} />}
      {tickets.data && tickets.data.length === 0 && <Text c="dimmed">{t('tickets.mine_empty')}</Text>}
      <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('tickets.mine_title')} data-testid="my-tickets">
        {[...open, ...closed].map((ticket) => (
          <li key={ticket.ticket_id}>
            <Card withBorder padding="sm" radius="sm" component={Link} to={`/maintenance/tickets/${ticket.ticket_id}`}>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{slotText(ticket.slot.day, ticket.slot.part, t)}</Text>
                <TicketStatusBadge status={ticket.status} />
              </Group>
              <Text>
                {componentName(ticket.component, i18n.language)} · {ticket.serial}
              </Text>
              <Text size="sm">
                {ticket.customer.name} · {localPhone(ticket.customer.phone)}
              </Text>
              {ticket.customer.address && (
                <Text size="sm" c="dimmed">
                  {ticket.customer.address}
                  {ticket.customer.province ? `, ${ticket.customer.province}` : ''}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {ticket.ticket_id}
              </Text>
            </Card>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
