import { Alert, Card, Group, Loader, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ExcelLinkButton } from '../../components/ExcelLinkButton';
import { PHONE_QUERY } from '../../components/ServerTable';
import { scrollable } from '../../components/scrollable';
import { useUrlFilters } from '../../components/useUrlFilters';
import { currentLanguage, dataLanguage, gregorianMonth, intlLocale } from '../../i18n';
import { useModels } from '../catalog/api';
import { Chart, type ChartOption } from '../dashboard/Chart';
import {
  DEFAULT_MONTHS,
  FUNNEL_FILTERS,
  MONTH_CHOICES,
  useExportFunnel,
  useFunnel,
  type Ageing,
  type Funnel,
  type FunnelFilters,
} from './api';

const SHIPPED = '#0b57d0';
const ACTIVATED = '#146c2e';
const AGE_COLOURS = ['#7cacf8', '#e37400', '#b3261e'];

/** `0.4957` → `49,6 %` (vi) / `49.6%` (en); no rate → `—`. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(intlLocale(), {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(rate);
}

function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  if (currentLanguage() === 'fa') return gregorianMonth(month);
  return currentLanguage() === 'vi' ? `${number}/${year}` : `${year}-${number}`;
}

function awaiting(ageing: Ageing): number {
  return ageing.days_0_30 + ageing.days_31_90 + ageing.over_90;
}

/** Shipped vs activated per dealer, model and month, activation rates and the ageing of units
 * not yet activated, with the filters in the URL and an Excel export of what is shown. `own`:
 * a dealer's user's own funnel (no dealer to pick, no export, no comparison between dealers).
 * "Shipped" is always the net of returns (`net_shipped`), the returns shown apart: the rate's
 * "1 of 3" counts of the same 3. */
export function FunnelPage({ own = false }: { own?: boolean }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(FUNNEL_FILTERS);
  const asked: FunnelFilters = { ...filters, months: filters.months || DEFAULT_MONTHS };
  const funnel = useFunnel(asked, own);
  const data = funnel.data;

  return (
    <Stack>
      <Title order={1} size="h2">
        {t(own ? 'funnel.own_title' : 'funnel.title')}
      </Title>
      {own ? (
        <Filters filters={asked} data={data} onFilters={setFilters} models={modelsOf(data)} own />
      ) : (
        <StaffFilters filters={asked} data={data} onFilters={setFilters} />
      )}
      {funnel.error && (
        <Alert color="red" role="alert" title={t('funnel.error')}>
          {funnel.error.message}
        </Alert>
      )}
      {!data && funnel.isPending && <Loader role="status" aria-label={t('funnel.loading')} />}
      {data && !own && <ExportButton filters={asked} />}
      {data && <Figures data={data} own={own} />}
    </Stack>
  );
}

interface FiltersProps {
  filters: FunnelFilters;
  data: Funnel | undefined;
  onFilters: (changes: Partial<FunnelFilters>) => void;
}

interface Option {
  value: string;
  label: string;
}

/** The models a dealer's own funnel shows (a dealer does not read the catalogue's list). */
function modelsOf(data: Funnel | undefined): Option[] {
  const language = currentLanguage();
  const seen = new Map<string, string>();
  for (const r of data?.rows ?? []) seen.set(r.model_code, dataLanguage(language) === 'en' ? r.model_name_en : r.model_name);
  return [...seen].map(([code, name]) => ({ value: code, label: `${code} · ${name}` }));
}

/** The staff's filters: the models of the catalogue. */
function StaffFilters(props: FiltersProps) {
  const models = useModels();
  const language = currentLanguage();
  const options = (models.data?.records ?? []).map((m) => ({
    value: m.code,
    label: `${m.code} · ${dataLanguage(language) === 'en' ? m.name_en || m.name : m.name}`,
  }));
  return <Filters {...props} models={options} />;
}

function Filters({ filters, data, onFilters, models: modelOptions, own = false }: FiltersProps & { models: Option[]; own?: boolean }) {
  const { t } = useTranslation();
  const dealers = (data?.dealer_options ?? []).map((d) => ({ value: d.dealer_id, label: `${d.dealer_code} · ${d.dealer_name}` }));
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Select
        label={t('funnel.period')}
        allowDeselect={false}
        data={MONTH_CHOICES.map((n) => ({ value: n, label: t('funnel.months', { count: Number(n) }) }))}
        value={filters.months}
        onChange={(value) => {
          onFilters({ months: value === DEFAULT_MONTHS ? '' : (value ?? '') });
        }}
        w={160}
      />
      {!own && (
        <Select
          label={t('funnel.dealer')}
          placeholder={t('funnel.all_dealers')}
          data={dealers}
          value={filters.dealer || null}
          searchable
          clearable
          onChange={(value) => {
            onFilters({ dealer: value ?? '' });
          }}
          w={{ base: '100%', xs: 260 }}
        />
      )}
      <Select
        label={t('funnel.model')}
        placeholder={t('funnel.all_models')}
        data={modelOptions}
        value={filters.model || null}
        searchable
        clearable
        onChange={(value) => {
          onFilters({ model: value ?? '' });
        }}
        w={{ base: '100%', xs: 260 }}
      />
    </Group>
  );
}

/** The funnel as it is filtered, as an Excel file (written at once). */
function ExportButton({ filters }: { filters: FunnelFilters }) {
  const exported = useExportFunnel(filters);
  return <ExcelLinkButton exported={exported} prefix="funnel" testId="funnel-export" />;
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

function Figures({ data, own }: { data: Funnel; own: boolean }) {
  const { t } = useTranslation();
  const { total, ageing } = data;
  const nothing = total.shipped === 0 && awaiting(ageing) === 0;
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Stat testId="stat-shipped" label={t('funnel.shipped')} value={total.net_shipped}>
          {total.returned_of_shipped > 0 && (
            <Text size="sm">{t('funnel.shipped_detail', { shipped: total.shipped, returned: total.returned_of_shipped })}</Text>
          )}
        </Stat>
        <Stat testId="stat-activated" label={t('funnel.activated')} value={total.activated} />
        <Stat testId="stat-rate" label={t('funnel.rate')} value={formatRate(total.activation_rate)}>
          <Text size="sm">{t('funnel.rate_detail', { activated: total.activated_of_shipped, kept: total.net_shipped })}</Text>
        </Stat>
        <Stat testId="stat-awaiting" label={t('funnel.awaiting')} value={awaiting(ageing)}>
          <Text size="sm">
            {t('funnel.ageing_detail', { recent: ageing.days_0_30, middle: ageing.days_31_90, old: ageing.over_90 })}
          </Text>
        </Stat>
      </SimpleGrid>
      {nothing ? (
        <Alert color="gray" role="status" title={t('funnel.empty')}>
          {t('funnel.empty_detail')}
        </Alert>
      ) : (
        <>
          <Charts data={data} own={own} />
          {!own && <DealersTable data={data} />}
          <RowsTable data={data} />
        </>
      )}
    </>
  );
}

function Charts({ data, own }: { data: Funnel; own: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const dealers = data.dealers;
  const rated = dealers.filter((d) => d.activation_rate !== null);

  const byMonth = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 12, top: 36, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: data.by_month.map((m) => monthLabel(m.month)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('funnel.shipped'), data: data.by_month.map((m) => m.net_shipped), itemStyle: { color: SHIPPED } },
        { type: 'bar', name: t('funnel.activated'), data: data.by_month.map((m) => m.activated), itemStyle: { color: ACTIVATED } },
      ],
    }),
    // the labels follow the language
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, language],
  );
  const rates = useMemo<ChartOption>(
    () => ({
      grid: { left: 64, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', valueFormatter: (value) => formatRate(Number(value) / 100) },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: rated.map((d) => d.dealer_code) },
      series: [
        {
          type: 'bar',
          name: t('funnel.rate'),
          data: rated.map((d) => Math.round((d.activation_rate ?? 0) * 1000) / 10),
          itemStyle: { color: ACTIVATED },
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, language],
  );
  const ages = useMemo<ChartOption>(() => {
    const buckets: [string, keyof Ageing][] = [
      [t('funnel.age_recent'), 'days_0_30'],
      [t('funnel.age_middle'), 'days_31_90'],
      [t('funnel.age_old'), 'over_90'],
    ];
    return {
      grid: { left: 64, right: 24, top: 36, bottom: 24 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: dealers.map((d) => d.dealer_code) },
      series: buckets.map(([name, key], index) => ({
        type: 'bar',
        stack: 'ageing',
        name,
        data: dealers.map((d) => d.ageing[key]),
        itemStyle: { color: AGE_COLOURS[index] },
      })),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, language]);

  const months = data.by_month.map((m) => t('funnel.month_item', { month: monthLabel(m.month), shipped: m.net_shipped, activated: m.activated }));
  const rateItems = rated.map((d) => t('funnel.dealer_rate', { dealer: d.dealer_name, rate: formatRate(d.activation_rate) }));
  const ageItems = dealers.map((d) =>
    t('funnel.dealer_ageing', { dealer: d.dealer_name, recent: d.ageing.days_0_30, middle: d.ageing.days_31_90, old: d.ageing.over_90 }),
  );
  const height = (rows: number) => Math.max(160, 40 * rows + 64);

  return (
    <>
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="xs">
          {t('funnel.by_month')}
        </Title>
        <Chart option={byMonth} label={t('funnel.chart_summary', { title: t('funnel.by_month'), items: months.join('; ') })} />
      </Card>
      <SimpleGrid cols={{ base: 1, md: own ? 1 : 2 }} spacing="md">
        {!own && (
          <Card withBorder padding="md">
            <Title order={2} size="h4" mb="xs">
              {t('funnel.rate_by_dealer')}
            </Title>
            <Chart
              option={rates}
              height={height(rated.length)}
              label={t('funnel.chart_summary', { title: t('funnel.rate_by_dealer'), items: rateItems.join('; ') || '—' })}
            />
          </Card>
        )}
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="xs">
            {t('funnel.ageing')}
          </Title>
          <Chart
            option={ages}
            height={height(dealers.length)}
            label={t('funnel.chart_summary', { title: t('funnel.ageing'), items: ageItems.join('; ') || '—' })}
          />
        </Card>
      </SimpleGrid>
    </>
  );
}


/** Each dealer's figures: a table, or on a phone one card per dealer (like every list). */
function DealersTable({ data }: { data: Funnel }) {
  const { t } = useTranslation();
  const phone = useMediaQuery(PHONE_QUERY);
  if (phone) return <DealerCards data={data} />;
  return (
    <Card withBorder padding="md">
      <Table.ScrollContainer minWidth={640} scrollAreaProps={scrollable(t('funnel.dealers_table'))}>
        <Table striped captionSide="top" data-testid="funnel-dealers">
          <Table.Caption>{t('funnel.dealers_table')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('funnel.dealer')}</Table.Th>
              <Table.Th ta="right">{t('funnel.shipped')}</Table.Th>
              <Table.Th ta="right">{t('funnel.activated')}</Table.Th>
              <Table.Th ta="right">{t('funnel.returned')}</Table.Th>
              <Table.Th ta="right">{t('funnel.rate')}</Table.Th>
              <Table.Th ta="right">{t('funnel.age_recent')}</Table.Th>
              <Table.Th ta="right">{t('funnel.age_middle')}</Table.Th>
              <Table.Th ta="right">{t('funnel.age_old')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.dealers.map((d) => (
              <Table.Tr key={d.dealer_id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {d.dealer_name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {d.dealer_code}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{d.net_shipped}</Table.Td>
                <Table.Td ta="right">{d.activated}</Table.Td>
                <Table.Td ta="right">{d.returned_of_shipped}</Table.Td>
                <Table.Td ta="right">{formatRate(d.activation_rate)}</Table.Td>
                <Table.Td ta="right">{d.ageing.days_0_30}</Table.Td>
                <Table.Td ta="right">{d.ageing.days_31_90}</Table.Td>
                <Table.Td ta="right">{d.ageing.over_90}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function DealerCards({ data }: { data: Funnel }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="funnel-dealers-title" data-testid="funnel-dealers">
      <Title order={2} size="h4" mb="xs" id="funnel-dealers-title">
        {t('funnel.dealers_table')}
      </Title>
      <Stack component="ul" gap="xs" className="record-cards">
        {data.dealers.map((d) => {
          const fields: [string, ReactNode][] = [
            [t('funnel.shipped'), d.net_shipped],
            [t('funnel.activated'), d.activated],
            [t('funnel.returned'), d.returned_of_shipped],
            [t('funnel.rate'), formatRate(d.activation_rate)],
            [t('funnel.age_recent'), d.ageing.days_0_30],
            [t('funnel.age_middle'), d.ageing.days_31_90],
            [t('funnel.age_old'), d.ageing.over_90],
          ];
          return (
            <Card component="li" key={d.dealer_id} withBorder padding="sm" radius="sm" className="record-card" data-testid="record-card">
              <Text fw={500}>{d.dealer_name}</Text>
              <Text size="xs" c="dimmed" mb="xs">
                {d.dealer_code}
              </Text>
              <dl className="record-card__fields">
                {fields.map(([label, value]) => (
                  <div key={label} className="record-card__field">
                    <Text component="dt" size="xs" c="dimmed">
                      {label}
                    </Text>
                    <Text component="dd" size="sm">
                      {value}
                    </Text>
                  </div>
                ))}
              </dl>
            </Card>
          );
        })}
      </Stack>
    </section>
  );
}

/** Every (month, dealer, model) with anything in the period, newest month first. On a phone
 * the month, dealer and model share the first column (stacked), so the table fits 360 px and
 * nothing scrolls sideways. */
function RowsTable({ data }: { data: Funnel }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const phone = useMediaQuery(PHONE_QUERY);
  const rows = [...data.rows].reverse();
  return (
    <Card withBorder padding="md">
      <details>
        <summary>
          <Text span size="sm">
            {t('funnel.rows_show', { count: rows.length })}
          </Text>
        </summary>
        <Table.ScrollContainer minWidth={phone ? 0 : 480} scrollAreaProps={scrollable(t('funnel.rows_table'))}>
          <Table striped captionSide="top" mt="xs" data-testid="funnel-rows">
            <Table.Caption>{t('funnel.rows_table')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {phone ? (
                  <Table.Th>{`${t('funnel.month')} · ${t('funnel.dealer')} · ${t('funnel.model')}`}</Table.Th>
                ) : (
                  <>
                    <Table.Th>{t('funnel.month')}</Table.Th>
                    <Table.Th>{t('funnel.dealer')}</Table.Th>
                    <Table.Th>{t('funnel.model')}</Table.Th>
                  </>
                )}
                <Table.Th ta="right">{t('funnel.shipped')}</Table.Th>
                <Table.Th ta="right">{t('funnel.activated')}</Table.Th>
                <Table.Th ta="right">{t('funnel.rate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => {
                const name = dataLanguage(language) === 'en' ? r.model_name_en : r.model_name;
                return (
                  <Table.Tr key={`${r.month}|${r.dealer_id}|${r.model_code}`}>
                    {phone ? (
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        {monthLabel(r.month)}
                        <br />
                        {r.dealer_code} · <span title={name}>{r.model_code}</span>
                      </Table.Td>
                    ) : (
                      <>
                        <Table.Td>{monthLabel(r.month)}</Table.Td>
                        <Table.Td>{r.dealer_code}</Table.Td>
                        <Table.Td title={name}>{r.model_code}</Table.Td>
                      </>
                    )}
                    <Table.Td ta="right">{r.net_shipped}</Table.Td>
                    <Table.Td ta="right">{r.activated}</Table.Td>
                    <Table.Td ta="right">{formatRate(r.activation_rate)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </details>
    </Card>
  );
}
