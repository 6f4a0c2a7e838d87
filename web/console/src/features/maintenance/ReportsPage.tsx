import { Alert, Card, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { scrollable } from '../../components/scrollable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { Chart, type ChartOption } from '../dashboard/Chart';
import { formatVnd } from '../format';
import { gregorianMonth, intlLocale } from '../../i18n';
import { componentName, type TicketComponent } from './ticketsApi';

interface ReportMonth {
  month: string;
  visits: number;
  paid_visits: number;
  amount_vnd: number;
  collected_vnd: number;
  parts_cost_vnd: number;
  margin_vnd: number;
  closed: boolean;
}

interface ReportPart {
  code: string;
  name: string;
  name_en: string;
  unit: string;
  issued: number;
  returned: number;
  used: number;
  cost_vnd: number;
  tickets: number;
  claims: number;
}

interface ReportProduct {
  model_code: string;
  component: TicketComponent;
  visits: number;
  amount_vnd: number;
  parts: number;
}

interface Report {
  months: ReportMonth[];
  parts: ReportPart[];
  products: ReportProduct[];
}

/** `YYYY-MM` of the month `back` months before this one. */
function monthBack(back: number): string {
  const now = new Date();
  const day = new Date(now.getFullYear(), now.getMonth() - back, 1);
  return `${String(day.getFullYear())}-${String(day.getMonth() + 1).padStart(2, '0')}`;
}

const MONTHS = Array.from({ length: 24 }, (_, back) => monthBack(back));
const PERIODS = [3, 6, 12] as const;

function useReport(from: string, until: string) {
  return useQuery<Report, ApiError>({
    queryKey: ['maintenance-reports', from, until],
    queryFn: ({ signal }) => api<Report>('/maintenance/reports', { query: { from, until }, signal }),
    placeholderData: keepPreviousData,
  });
}

function monthLabel(month: string, language: string): string {
  const [year, number] = month.split('-');
  if (language === 'fa') return gregorianMonth(month);
  return language === 'vi' ? `${number ?? ''}/${year ?? ''}` : `${year ?? ''}-${number ?? ''}`;
}

function Revenue({ months }: { months: ReportMonth[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 72, right: 12, top: 36, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: months.map((m) => monthLabel(m.month, language)) },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => new Intl.NumberFormat(intlLocale()).format(value) } },
      series: [
        { type: 'bar', name: t('mreports.amount'), data: months.map((m) => m.amount_vnd), itemStyle: { color: '#0b57d0' } },
        { type: 'bar', name: t('mreports.collected'), data: months.map((m) => m.collected_vnd), itemStyle: { color: '#2f9e44' } },
        { type: 'bar', name: t('mreports.parts_cost'), data: months.map((m) => m.parts_cost_vnd), itemStyle: { color: '#e8590c' } },
      ],
    }),
    // the labels follow the language
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [months, language],
  );
  const total = months.reduce((sum, m) => sum + m.amount_vnd, 0);
  return (
    <Card withBorder padding="md" data-testid="report-months">
      <Title order={2} size="h4" mb="xs">
        {t('mreports.revenue_title')}
      </Title>
      <Chart option={option} label={t('mreports.revenue_summary', { total: formatVnd(total), months: months.length })} />
      <Table.ScrollContainer minWidth={640} scrollAreaProps={scrollable(t('mreports.revenue_title'))}>
        <Table striped withTableBorder mt="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('mreports.month')}</Table.Th>
              <Table.Th ta="right">{t('mreports.visits')}</Table.Th>
              <Table.Th ta="right">{t('mreports.paid_visits')}</Table.Th>
              <Table.Th ta="right">{t('mreports.amount')}</Table.Th>
              <Table.Th ta="right">{t('mreports.collected')}</Table.Th>
              <Table.Th ta="right">{t('mreports.parts_cost')}</Table.Th>
              <Table.Th ta="right">{t('mreports.margin')}</Table.Th>
              <Table.Th>{t('mreports.closed')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {months.map((m) => (
              <Table.Tr key={m.month}>
                <Table.Td>{monthLabel(m.month, language)}</Table.Td>
                <Table.Td ta="right">{m.visits}</Table.Td>
                <Table.Td ta="right">{m.paid_visits}</Table.Td>
                <Table.Td ta="right">{formatVnd(m.amount_vnd)}</Table.Td>
                <Table.Td ta="right">{formatVnd(m.collected_vnd)}</Table.Td>
                <Table.Td ta="right">{formatVnd(m.parts_cost_vnd)}</Table.Td>
                <Table.Td ta="right">{formatVnd(m.margin_vnd)}</Table.Td>
                <Table.Td>{m.closed ? t('mreports.closed_yes') : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function Parts({ parts }: { parts: ReportPart[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="md" data-testid="report-parts">
      <Title order={2} size="h4" mb="xs">
        {t('mreports.parts_title')}
      </Title>
      {parts.length === 0 ? (
        <Text c="dimmed">{t('mreports.no_parts')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600} scrollAreaProps={scrollable(t('mreports.parts_title'))}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mreports.part')}</Table.Th>
                <Table.Th ta="right">{t('mreports.issued')}</Table.Th>
                <Table.Th ta="right">{t('mreports.returned')}</Table.Th>
                <Table.Th ta="right">{t('mreports.used')}</Table.Th>
                <Table.Th ta="right">{t('mreports.cost')}</Table.Th>
                <Table.Th ta="right">{t('mreports.tickets')}</Table.Th>
                <Table.Th ta="right">{t('mreports.claims')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {parts.map((p) => (
                <Table.Tr key={p.code}>
                  <Table.Td>
                    {i18n.language !== 'vi' && p.name_en ? p.name_en : p.name}
                    <Text size="xs" c="dimmed">
                      {p.code}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{p.issued}</Table.Td>
                  <Table.Td ta="right">{p.returned}</Table.Td>
                  <Table.Td ta="right">
                    {p.used} {p.unit}
                  </Table.Td>
                  <Table.Td ta="right">{formatVnd(p.cost_vnd)}</Table.Td>
                  <Table.Td ta="right">{p.tickets}</Table.Td>
                  <Table.Td ta="right">{p.claims}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function Products({ products }: { products: ReportProduct[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="md" data-testid="report-products">
      <Title order={2} size="h4" mb="xs">
        {t('mreports.products_title')}
      </Title>
      {products.length === 0 ? (
        <Text c="dimmed">{t('mreports.no_visits')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={520} scrollAreaProps={scrollable(t('mreports.products_title'))}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mreports.model')}</Table.Th>
                <Table.Th>{t('mreports.component')}</Table.Th>
                <Table.Th ta="right">{t('mreports.visits')}</Table.Th>
                <Table.Th ta="right">{t('mreports.amount')}</Table.Th>
                <Table.Th ta="right">{t('mreports.parts_used')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {products.map((p) => (
                <Table.Tr key={`${p.model_code}-${p.component.code}`}>
                  <Table.Td>{p.model_code}</Table.Td>
                  <Table.Td>{componentName(p.component, i18n.language)}</Table.Td>
                  <Table.Td ta="right">{p.visits}</Table.Td>
                  <Table.Td ta="right">{formatVnd(p.amount_vnd)}</Table.Td>
                  <Table.Td ta="right">{p.parts}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/** Maintenance reports over the last months: revenue by month (amount, collected, the parts'
 * cost and the margin; a chart with its table), spare parts' usage at cost, services by
 * product. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useUrlFilters(['until', 'months'] as const);
  const until = MONTHS.includes(filters.until) ? filters.until : monthBack(0);
  const count = PERIODS.find((n) => String(n) === filters.months) ?? 6;
  const from = MONTHS[Math.min(MONTHS.indexOf(until) + count - 1, MONTHS.length - 1)] ?? until;
  const found = useReport(from, until);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('mreports.title')}
      </Title>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('mreports.until')}
          data={MONTHS.map((m) => ({ value: m, label: monthLabel(m, i18n.language) }))}
          value={until}
          onChange={(value) => {
            setFilters({ until: value ?? '' });
          }}
          allowDeselect={false}
          w={160}
        />
        <Select
          label={t('mreports.period')}
          data={PERIODS.map((n) => ({ value: String(n), label: t('mreports.months_n', { n }) }))}
          value={String(count)}
          onChange={(value) => {
            setFilters({ months: value ?? '' });
          }}
          allowDeselect={false}
          w={160}
        />
      </Group>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {found.data && (
        <>
          <Revenue months={found.data.months} />
          <Parts parts={found.data.parts} />
          <Products products={found.data.products} />
        </>
      )}
    </Stack>
  );
}
