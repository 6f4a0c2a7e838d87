import { Alert, Card, Group, Loader, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ExcelLinkButton } from '../../components/ExcelLinkButton';
import { scrollable } from '../../components/scrollable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { currentLanguage, dataLanguage, gregorianMonth, intlLocale } from '../../i18n';
import { useModels } from '../catalog/api';
import { Chart, type ChartOption } from '../dashboard/Chart';
import { useDistributors } from '../dealers/api';
import { formatVnd } from '../format';
import { provinceGroups } from '../provinces';
import {
  CHANNELS,
  PERIODS,
  REPORT_FILTERS,
  REPORT_KINDS,
  kindOf,
  monthBack,
  useExportReport,
  useReport,
  type Figure,
  type Report,
  type ReportFilters,
  type ReportKind,
  type ReportTable,
  type Row,
} from './api';

const MONTHS = Array.from({ length: 36 }, (_, back) => monthBack(back));

/** What each report's headline cards and chart show. */
const HEADLINES: Record<ReportKind, string[]> = {
  activations: ['activated', 'activation_rate', 'lag_mean_days', 'shipped', 'reward_per_activation_vnd', 'flagged_share'],
  claims: ['opened', 'claims_per_1000', 'first_fix_rate', 'cost_per_claim_vnd', 'mean_repair_hours', 'no_fault_found_rate'],
  costs: ['cost_vnd', 'warranty_vnd', 'revenue_vnd', 'profit_vnd'],
  parts: ['quantity', 'amount_vnd'],
  maintenance: ['visits', 'amount_vnd', 'collected_vnd', 'held_vnd', 'uncollected_vnd', 'margin_vnd'],
};
const CHARTED: Record<ReportKind, { table: string; series: string[] }> = {
  activations: { table: 'by_month', series: ['activated', 'shipped'] },
  claims: { table: 'by_month', series: ['opened', 'resolved', 'repeat_30'] },
  costs: { table: 'by_month', series: ['warranty_vnd', 'customer_vnd', 'supplier_vnd', 'revenue_vnd'] },
  parts: { table: 'by_part', series: ['quantity'] },
  maintenance: { table: 'by_month', series: ['amount_vnd', 'collected_vnd', 'remitted_vnd'] },
};
const COLOURS = ['#0b57d0', '#146c2e', '#e8590c', '#7048e8'];

function locale(): string {
  return intlLocale();
}

export function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  if (currentLanguage() === 'fa') return gregorianMonth(month);
  return currentLanguage() === 'vi' ? `${number ?? ''}/${year ?? ''}` : `${year ?? ''}-${number ?? ''}`;
}

/** A figure as the column names it: a rate as a percentage, money in VND, hours and days with
 * one decimal, counts as whole numbers; no figure (a rate of nothing) is `—`. */
export function formatFigure(column: string, value: Figure | string | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (column.endsWith('_rate') || column === 'share') {
    return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(value);
  }
  if (column.endsWith('_vnd')) return formatVnd(value);
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(value);
}

function useKeyLabel(report: Report | undefined) {
  const { t } = useTranslation();
  return (key: string, value: string | Figure | undefined): string => {
    const text = typeof value === 'string' ? value : String(value ?? '');
    if (!text || text === '-') {
      return t(key === 'dealer' ? 'wreports.no_dealer' : key === 'collector' ? 'wreports.no_collector' : 'wreports.unknown');
    }
    if (key === 'collector') return report?.names.collectors[text] ?? text;
    if (key === 'month') return monthLabel(text);
    if (key === 'channel') return t(`wreports.channel.${text}`, { defaultValue: text });
    if (key === 'lag') return t(`wreports.column.${text}`);
    if (key === 'model') {
      const model = report?.names.models[text];
      const name = model ? (dataLanguage() === 'vi' ? model.name : model.name_en) : '';
      return name ? `${text} · ${name}` : text;
    }
    if (key === 'dealer') {
      const dealer = report?.names.dealers[text];
      return dealer ? `${dealer.code} · ${dealer.name}` : text;
    }
    return text;
  };
}

function Filters({ filters, onFilters }: { filters: ReportFilters; onFilters: (next: Partial<ReportFilters>) => void }) {
  const { t } = useTranslation();
  const models = useModels();
  const dealers = useDistributors();
  const until = filters.until || monthBack(0);
  return (
    <Group align="flex-end" gap="sm" data-testid="report-filters">
      <Select
        label={t('wreports.until')}
        data={MONTHS.map((m) => ({ value: m, label: monthLabel(m) }))}
        value={until}
        onChange={(value) => {
          onFilters({ until: value ?? '' });
        }}
        allowDeselect={false}
        w={{ base: '47%', xs: 140 }}
      />
      <Select
        label={t('wreports.period')}
        data={PERIODS.map((n) => ({ value: n, label: t('wreports.months_n', { n: formatFigure('months', Number(n)) }) }))}
        value={PERIODS.includes(filters.months as (typeof PERIODS)[number]) ? filters.months : '12'}
        onChange={(value) => {
          onFilters({ months: value ?? '' });
        }}
        allowDeselect={false}
        w={{ base: '47%', xs: 140 }}
      />
      <Select
        label={t('wreports.model')}
        placeholder={t('wreports.all')}
        data={(models.data?.records ?? []).map((m) => ({ value: m.code, label: `${m.code} · ${m.name}` }))}
        value={filters.model || null}
        searchable
        clearable
        onChange={(value) => {
          onFilters({ model: value ?? '' });
        }}
        w={{ base: '100%', xs: 220 }}
      />
      <Select
        label={t('wreports.dealer')}
        placeholder={t('wreports.all')}
        data={(dealers.data ?? []).map((d) => ({ value: d.dealer_id, label: `${d.code} · ${d.name}` }))}
        value={filters.dealer || null}
        searchable
        clearable
        onChange={(value) => {
          onFilters({ dealer: value ?? '' });
        }}
        w={{ base: '100%', xs: 220 }}
      />
      <Select
        label={t('wreports.province')}
        placeholder={t('wreports.all')}
        data={provinceGroups(t)}
        value={filters.province || null}
        searchable
        clearable
        onChange={(value) => {
          onFilters({ province: value ?? '' });
        }}
        w={{ base: '100%', xs: 200 }}
      />
      <Select
        label={t('wreports.channel_filter')}
        placeholder={t('wreports.all')}
        data={CHANNELS.map((c) => ({ value: c, label: t(`wreports.channel.${c}`) }))}
        value={filters.channel || null}
        clearable
        onChange={(value) => {
          onFilters({ channel: value ?? '' });
        }}
        w={{ base: '100%', xs: 170 }}
      />
    </Group>
  );
}

function Headlines({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" data-testid="report-totals">
      {HEADLINES[report.kind].map((name) => (
        <Card withBorder padding="sm" key={name}>
          <Text size="sm" c="dimmed">
            {t(`wreports.column.${name}`)}
          </Text>
          <Text fw={700} fz={22} lh={1.3}>
            {formatFigure(name, report.totals[name])}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function ReportChart({ report, label }: { report: Report; label: (key: string, value: string | Figure | undefined) => string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { table: name, series } = CHARTED[report.kind];
  const table = report.tables.find((found) => found.name === name);
  const rows = (table?.rows ?? []).slice(0, 15);
  const key = table?.keys[0] ?? 'month';
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 72, right: 12, top: 36, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: rows.map((row) => label(key, row[key])) },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => new Intl.NumberFormat(locale()).format(value) } },
      series: series.map((column, index) => ({
        type: 'bar',
        name: t(`wreports.column.${column}`),
        data: rows.map((row) => Number(row[column] ?? 0)),
        itemStyle: { color: COLOURS[index % COLOURS.length] },
      })),
    }),
    // the labels follow the language
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [report, language],
  );
  if (rows.length === 0) return null;
  return (
    <Card withBorder padding="md">
      <Chart option={option} label={t('wreports.chart_summary', { title: t(`wreports.kind.${report.kind}`), n: rows.length })} />
    </Card>
  );
}

function FigureTable({ table, label }: { table: ReportTable; label: (key: string, value: string | Figure | undefined) => string }) {
  const { t } = useTranslation();
  const title = t(`wreports.table.${table.name}`);
  return (
    <Card withBorder padding="md" data-testid={`report-table-${table.name}`}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {table.rows.length === 0 ? (
        <Text c="dimmed">{t('wreports.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={table.columns.length * 110 + 160} scrollAreaProps={scrollable(title)}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                {table.keys.map((key) => (
                  <Table.Th key={key}>{t(`wreports.column.${key}`)}</Table.Th>
                ))}
                {table.columns.map((column) => (
                  <Table.Th key={column} ta="right">
                    {t(`wreports.column.${column}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((row: Row) => (
                <Table.Tr key={table.keys.map((key) => String(row[key])).join('|')}>
                  {table.keys.map((key) => (
                    <Table.Td key={key} style={key === 'month' ? { whiteSpace: 'nowrap' } : undefined}>
                      {label(key, row[key])}
                    </Table.Td>
                  ))}
                  {table.columns.map((column) => (
                    <Table.Td key={column} ta="right">
                      {formatFigure(column, row[column])}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function ExportButton({ filters }: { filters: ReportFilters }) {
  const exported = useExportReport(filters);
  return <ExcelLinkButton exported={exported} prefix="wreports" testId="report-export" />;
}

/** The warranty reports (issue 17): activations, service requests, costs and profit, parts; each
 * a set of headline figures, a chart and its tables, by period, model, dealer, province and
 * channel (in the URL), with an Excel export of what is shown. */
export function WarrantyReportsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(REPORT_FILTERS);
  const kind = kindOf(filters);
  const found = useReport(filters);
  const report = found.data?.kind === kind ? found.data : undefined;
  const label = useKeyLabel(report);
  const phone = useMediaQuery('(max-width: 36em)');
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('wreports.title')}
      </Title>
      <SegmentedControl
        data={REPORT_KINDS.map((k) => ({ value: k, label: t(`wreports.kind.${k}`) }))}
        value={kind}
        onChange={(value) => {
          setFilters({ kind: value });
        }}
        aria-label={t('wreports.kind_label')}
        fullWidth
        orientation={phone ? 'vertical' : 'horizontal'}
      />
      <Filters filters={filters} onFilters={setFilters} />
      <Text size="sm" c="dimmed">
        {t(`wreports.note.${kind}`)}
      </Text>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && (
        <Alert color="red" role="alert" title={t('wreports.error')}>
          {found.error.message}
        </Alert>
      )}
      {report && (
        <>
          <ExportButton filters={filters} />
          <Headlines report={report} />
          <ReportChart report={report} label={label} />
          {report.tables.map((table) => (
            <FigureTable key={table.name} table={table} label={label} />
          ))}
        </>
      )}
    </Stack>
  );
}
