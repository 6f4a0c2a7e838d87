import { Alert, Card, Group, Loader, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatDateTime, formatVnd } from '../format';
import { useDashboard, type Dashboard } from './api';
import { Chart, type ChartOption } from './Chart';

/** The console's home for the roles that watch the business: activations today, in 7 and 30
 * days, by day, model and channel; today's messages and spend against the cap; label jobs
 * running. Read from the API's daily roll-ups, refreshed every minute. */
export function DashboardPage() {
  const { t } = useTranslation();
  const dashboard = useDashboard();
  const data = dashboard.data;

  return (
    <Stack>
      <Group justify="space-between" align="baseline" wrap="wrap" gap="xs">
        <Title order={1} size="h2">
          {t('dashboard.title')}
        </Title>
        {dashboard.dataUpdatedAt > 0 && (
          <Text size="sm" c="dimmed" data-testid="updated">
            {t('dashboard.updated', { at: formatDateTime(new Date(dashboard.dataUpdatedAt).toISOString(), true) })}
          </Text>
        )}
      </Group>
      {dashboard.error && (
        <Alert color="red" role="alert" title={t('dashboard.error')}>
          {dashboard.error.message}
        </Alert>
      )}
      {!data && dashboard.isPending && <Loader role="status" aria-label={t('dashboard.loading')} />}
      {data && <Figures data={data} />}
    </Stack>
  );
}

function Stat({ label, value, children, testId }: { label: string; value: ReactNode; children?: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz={28} lh={1.3}>
        {value}
      </Text>
      {children}
    </Card>
  );
}

function Figures({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const { activations, messages_today: messages, spend_today: spend, label_jobs: jobs } = data;
  const capShare = spend.cap_vnd && Number(spend.cap_vnd) > 0 ? (Number(spend.spent_vnd) / Number(spend.cap_vnd)) * 100 : null;
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        <Stat testId="stat-today" label={t('dashboard.activations_today')} value={activations.today} />
        <Stat testId="stat-7" label={t('dashboard.activations_7')} value={activations.last_7_days} />
        <Stat testId="stat-30" label={t('dashboard.activations_30')} value={activations.last_30_days} />
        <Stat testId="stat-messages" label={t('dashboard.messages_today')} value={messages.delivered}>
          <Text size="sm">{t('dashboard.messages_detail', { delivered: messages.delivered, failed: messages.failed })}</Text>
        </Stat>
        <Stat testId="stat-spend" label={t('dashboard.spend_today')} value={formatVnd(spend.spent_vnd)}>
          {capShare === null ? (
            <Text size="sm">{t('dashboard.no_cap')}</Text>
          ) : (
            <>
              <Text size="sm">{t('dashboard.of_cap', { cap: formatVnd(spend.cap_vnd), share: Math.round(capShare) })}</Text>
              <Progress
                mt={6}
                value={Math.min(capShare, 100)}
                color={capShare >= 90 ? 'red' : 'blue'}
                aria-label={t('dashboard.spend_today')}
              />
            </>
          )}
        </Stat>
        <Stat testId="stat-jobs" label={t('dashboard.label_jobs')} value={jobs.active}>
          {jobs.jobs.map((job) => (
            <Progress
              key={job.job_id}
              mt={6}
              value={job.total ? (job.done / job.total) * 100 : 0}
              aria-label={t('dashboard.label_job', { done: job.done, total: job.total })}
            />
          ))}
        </Stat>
      </SimpleGrid>
      {activations.last_30_days === 0 ? (
        <Alert color="gray" role="status" title={t('dashboard.empty')}>
          {t('dashboard.empty_detail')}
        </Alert>
      ) : (
        <Charts data={data} />
      )}
      {messages.by_channel.length > 0 && <MessagesByChannel data={data} />}
    </>
  );
}

function dayLabel(day: string): string {
  return dayjs(day).format(currentLanguage() === 'vi' ? 'DD/MM' : 'MM/DD');
}

function FiguresTable({ caption, head, rows }: { caption: string; head: [string, string]; rows: [string, number][] }) {
  const { t } = useTranslation();
  return (
    <details>
      <summary>
        <Text span size="sm">
          {t('dashboard.as_table')}
        </Text>
      </summary>
      <Table striped withTableBorder mt="xs" captionSide="top">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{head[0]}</Table.Th>
            <Table.Th ta="right">{head[1]}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(([name, count]) => (
            <Table.Tr key={name}>
              <Table.Td>{name}</Table.Td>
              <Table.Td ta="right">{count}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </details>
  );
}

function Charts({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { by_day: byDay, by_model: byModel, by_channel: byChannel } = data.activations;
  const channelName = (channel: string) => t(`dashboard.channel.${channel}`, { defaultValue: channel });
  const modelName = (m: (typeof byModel)[number]) => (language !== 'vi' ? m.name_en : m.name);

  const daily = useMemo<ChartOption>(
    () => ({
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: byDay.map((d) => dayLabel(d.day)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('dashboard.activations'), data: byDay.map((d) => d.count), itemStyle: { color: '#0b57d0' } }],
    }),
    // the labels follow the language
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [byDay, language],
  );
  const models = useMemo<ChartOption>(
    () => ({
      grid: { left: 84, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: byModel.map((m) => m.model_code) },
      series: [{ type: 'bar', name: t('dashboard.activations'), data: byModel.map((m) => m.count), itemStyle: { color: '#0b57d0' } }],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [byModel, language],
  );
  const channels = useMemo<ChartOption>(() => {
    const counts = new Map(byChannel.map((c) => [channelName(c.channel), c.count]));
    return {
      tooltip: { trigger: 'item' },
      // the counts in the legend, not around the ring: labels outside it are cut at 360 px
      legend: { bottom: 0, formatter: (name: string) => `${name}: ${String(counts.get(name) ?? 0)}` },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '45%'],
          label: { show: false },
          data: byChannel.map((c) => ({ name: channelName(c.channel), value: c.count })),
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [byChannel, language]);

  const busiest = byDay.reduce((best, d) => (d.count > best.count ? d : best), byDay[0] ?? { day: data.today, count: 0 });
  const list = (items: [string, number][]) => items.map(([name, n]) => t('dashboard.item', { name, count: n })).join(', ');

  return (
    <>
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="xs">
          {t('dashboard.by_day')}
        </Title>
        <Chart
          option={daily}
          label={t('dashboard.by_day_summary', {
            total: data.activations.last_30_days,
            most: busiest.count,
            day: dayLabel(busiest.day),
          })}
        />
        <FiguresTable
          caption={t('dashboard.by_day')}
          head={[t('dashboard.day'), t('dashboard.activations')]}
          rows={byDay.map((d) => [dayLabel(d.day), d.count])}
        />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="xs">
            {t('dashboard.by_model')}
          </Title>
          <Chart
            option={models}
            height={Math.max(160, 48 * byModel.length + 40)}
            label={t('dashboard.chart_summary', { title: t('dashboard.by_model'), items: list(byModel.map((m) => [modelName(m), m.count])) })}
          />
          <FiguresTable
            caption={t('dashboard.by_model')}
            head={[t('dashboard.model'), t('dashboard.activations')]}
            rows={byModel.map((m) => [modelName(m), m.count])}
          />
        </Card>
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="xs">
            {t('dashboard.by_channel')}
          </Title>
          <Chart
            option={channels}
            label={t('dashboard.chart_summary', {
              title: t('dashboard.by_channel'),
              items: list(byChannel.map((c) => [channelName(c.channel), c.count])),
            })}
          />
          <FiguresTable
            caption={t('dashboard.by_channel')}
            head={[t('dashboard.channel'), t('dashboard.activations')]}
            rows={byChannel.map((c) => [channelName(c.channel), c.count])}
          />
        </Card>
      </SimpleGrid>
    </>
  );
}

function MessagesByChannel({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Table.ScrollContainer minWidth={0}>
        <Table captionSide="top">
          <Table.Caption>{t('dashboard.messages_by_channel')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.channel')}</Table.Th>
              <Table.Th ta="right">{t('message.status.delivered')}</Table.Th>
              <Table.Th ta="right">{t('message.status.failed')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.messages_today.by_channel.map((c) => (
              <Table.Tr key={c.channel}>
                <Table.Td>{t(`dashboard.channel.${c.channel}`, { defaultValue: c.channel })}</Table.Td>
                <Table.Td ta="right">{c.delivered}</Table.Td>
                <Table.Td ta="right">{c.failed}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
