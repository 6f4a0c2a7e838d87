// The desk's week of visits: every ticket booked in the week (open and done; cancelled ones are
// not visits), by day and by half-day, each a link to its page. A phone lists the days one under
// another.
import { Anchor, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { currentLanguage } from '../../i18n';
import { componentName, DAY_PARTS, type TicketStatus, type TicketSummary } from './ticketsApi';

const SHOWN: readonly TicketStatus[] = ['new', 'assigned', 'started', 'done'];
const COLORS: Record<TicketStatus, string> = { new: 'orange', assigned: 'blue', started: 'cyan', done: 'green', cancelled: 'gray' };

/** The Monday of `day`'s week (ISO). */
export function weekOf(day: string): string {
  const d = dayjs(day);
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');
}

function useWeek(monday: string) {
  const until = dayjs(monday).add(6, 'day').format('YYYY-MM-DD');
  const found = useQueries({
    queries: SHOWN.map((status) => ({
      queryKey: ['maintenance-tickets', status, { from: monday, until, limit: 200 }],
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        (await api<{ tickets: TicketSummary[] }>('/maintenance/tickets', { query: { status, from: monday, until, limit: '200' }, signal })).tickets,
      placeholderData: keepPreviousData,
    })),
  });
  return {
    pending: found.some((q) => q.isPending),
    error: found.find((q) => q.error)?.error ?? null,
    tickets: found.flatMap((q) => q.data ?? []),
  };
}

export function TicketCalendar({ week, onWeek }: { week: string; onWeek: (monday: string) => void }) {
  const { t, i18n } = useTranslation();
  const monday = weekOf(week);
  const { pending, error, tickets } = useWeek(monday);
  const days = Array.from({ length: 7 }, (_, n) => dayjs(monday).add(n, 'day'));
  const today = dayjs().format('YYYY-MM-DD');
  const dayFormat = currentLanguage() === 'vi' ? 'dd DD/MM' : 'ddd MM/DD';
  return (
    <Stack gap="sm" data-testid="ticket-calendar">
      <Group gap="xs">
        <Button variant="default" onClick={() => { onWeek(dayjs(monday).subtract(7, 'day').format('YYYY-MM-DD')); }}>
          {t('tickets.week_before')}
        </Button>
        <Button variant="default" onClick={() => { onWeek(weekOf(today)); }}>
          {t('tickets.week_this')}
        </Button>
        <Button variant="default" onClick={() => { onWeek(dayjs(monday).add(7, 'day').format('YYYY-MM-DD')); }}>
          {t('tickets.week_after')}
        </Button>
        <Text fw={600} aria-live="polite">
          {t('tickets.week_of', {
            from: days[0]?.format(currentLanguage() === 'vi' ? 'DD/MM' : 'MM/DD') ?? '',
            until: days[6]?.format(currentLanguage() === 'vi' ? 'DD/MM/YYYY' : 'MM/DD/YYYY') ?? '',
            count: tickets.length,
          })}
        </Text>
      </Group>
      {pending && <Loader role="status" aria-label={t('state.loading')} />}
      {error && <Text c="red" role="alert">{error.message}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 7 }} spacing="xs">
        {days.map((day) => {
          const iso = day.format('YYYY-MM-DD');
          const own = tickets.filter((x) => x.slot.day === iso);
          return (
            <Card key={iso} withBorder padding="xs" radius="sm" data-testid={`calendar-${iso}`} bg={iso === today ? 'blue.0' : undefined}>
              <Text fw={700} size="sm" tt="capitalize">
                {day.format(dayFormat)}
              </Text>
              {DAY_PARTS.map((part) => {
                const here = own.filter((x) => x.slot.part === part);
                return (
                  <Stack key={part} gap={4} mt={6}>
                    <Text size="xs" c="dimmed">
                      {t(`tickets.part_short.${part}`)}
                    </Text>
                    {here.length === 0 && <Text size="xs" c="dimmed">—</Text>}
                    {here.map((x) => (
                      <Anchor key={x.ticket_id} component={Link} to={`/maintenance/tickets/${x.ticket_id}`} size="sm" underline="never">
                        <Badge color={COLORS[x.status]} variant="light" size="xs" mr={4}>
                          {t(`tickets.status.${x.status}`)}
                        </Badge>
                        {componentName(x.component, i18n.language)}
                        <Text span size="xs" c="dimmed" display="block">
                          {x.customer.province || x.serial} · {x.assignee_name ?? t('tickets.unassigned')}
                        </Text>
                      </Anchor>
                    ))}
                  </Stack>
                );
              })}
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
