import { Alert, Button, Group, Loader, SegmentedControl } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { localPhone } from '../claims/api';
import { formatDateTime, formatDay, formatVnd } from '../format';
import { useRoles } from '../../auth/session';
import { componentName, usePrintBrand, useTicket, useTicketQr, type Ticket } from './ticketsApi';

type Paper = 'a5' | 'a4';

function QrImage({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const qr = useTicketQr(ticketId);
  const url = useMemo(() => (qr.data ? URL.createObjectURL(qr.data) : null), [qr.data]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  if (!url) return <div className="ticket-print-qr" />;
  return <img className="ticket-print-qr" src={url} alt={t('tickets.print_qr_alt', { id: ticketId })} data-testid="ticket-qr" />;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function Sheet({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const customer = ticket.customer;
  const roles = useRoles();
  const brand = usePrintBrand(!roles.every((r) => r === 'service'));
  return (
    <article className="ticket-print-sheet" aria-label={t('tickets.ticket_title', { id: ticket.ticket_id })}>
      <header className="ticket-print-head">
        <div>
          {brand.data && (
            <p className="ticket-print-brand">
              {brand.data.name}
              {brand.data.theme.hotline ? ` · ${t('tickets.print_hotline', { hotline: brand.data.theme.hotline })}` : ''}
            </p>
          )}
          <h1>{t('tickets.print_title')}</h1>
          <p className="ticket-print-id">{ticket.ticket_id}</p>
          <p>{t('tickets.print_scan')}</p>
        </div>
        <QrImage ticketId={ticket.ticket_id} />
      </header>
      <table className="ticket-print-facts">
        <tbody>
          <Row label={t('tickets.slot')}>
            {formatDay(ticket.slot.day)} · {t(`tickets.part.${ticket.slot.part}`)}
            {ticket.slot.note ? ` — ${ticket.slot.note}` : ''}
          </Row>
          <Row label={t('tickets.customer')}>
            {customer.name} · {localPhone(customer.phone)}
          </Row>
          <Row label={t('tickets.address')}>{[customer.address, customer.province].filter(Boolean).join(', ') || '—'}</Row>
          <Row label={t('tickets.unit')}>
            {ticket.serial} · {ticket.model_code}
          </Row>
          <Row label={t('tickets.component')}>
            {componentName(ticket.component, i18n.language)} · {t('tickets.occurrence', { n: ticket.occurrence })}
          </Row>
          <Row label={t('tickets.assignee')}>{ticket.assignee_name ?? '—'}</Row>
          <Row label={t('tickets.price')}>{formatVnd(ticket.price_vnd)}</Row>
        </tbody>
      </table>
      <h2>{t('tickets.checklist')}</h2>
      <ul className="ticket-print-checks">
        {ticket.checklist.map((check) => (
          <li key={check.text}>
            <span className="ticket-print-box" aria-hidden="true">
              {check.done ? '✓' : ''}
            </span>
            {check.text}
          </li>
        ))}
        {ticket.checklist.length === 0 && <li>—</li>}
      </ul>
      <h2>{t('tickets.print_work')}</h2>
      <div className="ticket-print-lines">
        <p>{t('tickets.notes')}:</p>
        <p>{t('tickets.labour')}:</p>
        <p>
          {t('tickets.paid')}: ☐ {t('tickets.method_name.cash')} ☐ {t('tickets.method_name.transfer')}
        </p>
      </div>
      <footer className="ticket-print-sign">
        <div>
          <p>{t('tickets.print_technician')}</p>
        </div>
        <div>
          <p>{t('tickets.print_customer')}</p>
        </div>
      </footer>
      <p className="ticket-print-foot">{t('tickets.print_made', { at: formatDateTime(new Date().toISOString()) })}</p>
    </article>
  );
}

/** The ticket as a printed sheet (A5 by default, or A4): the visit, the customer, the
 * checklist with boxes, room for the record by hand and both signatures, and a QR code that
 * opens the ticket's page on the technician's phone. The console's shell is not printed. */
export function TicketPrintPage() {
  const { t } = useTranslation();
  const { ticketId = '' } = useParams();
  const found = useTicket(ticketId);
  const [paper, setPaper] = useState<Paper>('a5');
  return (
    <div className={`ticket-print ticket-print-${paper}`} data-testid="ticket-print">
      <style>{`@page { size: ${paper === 'a5' ? 'A5' : 'A4'} portrait; margin: 10mm; }`}</style>
      <Group className="ticket-print-tools" gap="sm" p="md">
        <Button component={Link} to={`/maintenance/tickets/${ticketId}`} variant="default">
          {t('tickets.back')}
        </Button>
        <SegmentedControl
          aria-label={t('tickets.paper')}
          data={[
            { value: 'a5', label: 'A5' },
            { value: 'a4', label: 'A4' },
          ]}
          value={paper}
          onChange={(value) => {
            setPaper(value === 'a4' ? 'a4' : 'a5');
          }}
        />
        <Button
          onClick={() => {
            window.print();
          }}
          disabled={!found.data}
        >
          {t('tickets.print')}
        </Button>
      </Group>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {found.data && <Sheet ticket={found.data} />}
    </div>
  );
}
