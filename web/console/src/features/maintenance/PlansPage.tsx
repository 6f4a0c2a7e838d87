import {
  Alert,
  Button,
  Fieldset,
  Group,
  Loader,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { RowMoves } from '../../components/RowMoves';
import { formatDateTime } from '../format';
import { useModels } from '../units/api';
import {
  MAX_COMPONENTS,
  PLAN_EDITORS,
  RHYTHMS,
  useMaintenancePlan,
  useSavePlan,
  type MaintenancePlan,
  type PlanComponent,
  type Rhythm,
} from './api';

type Unit = 'months' | 'days';

interface Row {
  id: string;
  code: string;
  name: string;
  name_en: string;
  cycle: number;
  cycle_unit: Unit;
  first: number | ''; // '': one cycle after the anchor
  first_unit: Unit;
  lead_days: number;
  rhythm: Rhythm;
  price_vnd: number;
  checklist: string; // one check a line
}

let seed = 0;
const rowId = () => `c${String(++seed)}`;

function toRow(c: PlanComponent): Row {
  const firstGiven = c.first_months !== c.cycle_months || c.first_days !== c.cycle_days;
  return {
    id: rowId(),
    code: c.code,
    name: c.name,
    name_en: c.name_en,
    cycle: c.cycle_months || c.cycle_days,
    cycle_unit: c.cycle_months ? 'months' : 'days',
    first: firstGiven ? c.first_months || c.first_days : '',
    first_unit: c.first_months || !firstGiven ? 'months' : 'days',
    lead_days: c.lead_days,
    rhythm: c.rhythm,
    price_vnd: c.price_vnd,
    checklist: c.checklist.join('\n'),
  };
}

function toComponent(row: Row): PlanComponent {
  const first = row.first === '' ? 0 : row.first;
  return {
    code: row.code.trim(),
    name: row.name.trim(),
    name_en: row.name_en.trim(),
    cycle_months: row.cycle_unit === 'months' ? row.cycle : 0,
    cycle_days: row.cycle_unit === 'days' ? row.cycle : 0,
    first_months: row.first_unit === 'months' ? first : 0,
    first_days: row.first_unit === 'days' ? first : 0,
    lead_days: row.lead_days,
    rhythm: row.rhythm,
    price_vnd: row.price_vnd,
    checklist: row.checklist.split('\n').map((line) => line.trim()).filter(Boolean),
  };
}

const emptyRow = (): Row => ({
  id: rowId(),
  code: '',
  name: '',
  name_en: '',
  cycle: 1,
  cycle_unit: 'months',
  first: '',
  first_unit: 'months',
  lead_days: 7,
  rhythm: 'fixed',
  price_vnd: 0,
  checklist: '',
});

/** The API's field errors (`components.0.cycle`) on the form's fields (`rows.0.cycle`). */
function rowErrors(error: ApiError): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fieldErrorsFrom(error)).map(([field, message]) => [field.replace(/^components\./, 'rows.'), message]),
  );
}

function ComponentRow({ form, row, index, count, editable }: { form: PlanForm; row: Row; index: number; count: number; editable: boolean }) {
  const { t } = useTranslation();
  const at = (field: keyof Row) => `rows.${String(index)}.${field}`;
  const units = [
    { value: 'months', label: t('maintenance.months') },
    { value: 'days', label: t('maintenance.days') },
  ];
  const name = row.name || row.code || String(index + 1);
  return (
    <Paper withBorder p="sm" data-testid="component-row">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <TextInput label={t('maintenance.code')} required disabled={!editable} {...form.getInputProps(at('code'))} />
        <TextInput label={t('maintenance.name')} required disabled={!editable} {...form.getInputProps(at('name'))} />
        <TextInput label={t('maintenance.name_en')} disabled={!editable} {...form.getInputProps(at('name_en'))} />
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <NumberInput label={t('maintenance.cycle')} required min={1} allowDecimal={false} disabled={!editable} w={110} {...form.getInputProps(at('cycle'))} />
          <Select aria-label={t('maintenance.cycle_unit')} data={units} allowDeselect={false} disabled={!editable} w={110} {...form.getInputProps(at('cycle_unit'))} />
        </Group>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <NumberInput label={t('maintenance.first')} description={t('maintenance.first_hint')} min={1} allowDecimal={false} disabled={!editable} w={110} {...form.getInputProps(at('first'))} />
          <Select aria-label={t('maintenance.first_unit')} data={units} allowDeselect={false} disabled={!editable} w={110} {...form.getInputProps(at('first_unit'))} />
        </Group>
        <NumberInput label={t('maintenance.lead_days')} description={t('maintenance.lead_days_hint')} min={0} max={60} allowDecimal={false} disabled={!editable} {...form.getInputProps(at('lead_days'))} />
        <Select
          label={t('maintenance.rhythm')}
          description={t(`maintenance.rhythm_hint.${row.rhythm}`)}
          data={RHYTHMS.map((r) => ({ value: r, label: t(`maintenance.rhythm.${r}`) }))}
          allowDeselect={false}
          disabled={!editable}
          {...form.getInputProps(at('rhythm'))}
        />
        <NumberInput label={t('maintenance.price')} description={t('maintenance.price_hint')} min={0} step={10000} thousandSeparator="." decimalSeparator="," allowDecimal={false} suffix=" ₫" disabled={!editable} {...form.getInputProps(at('price_vnd'))} />
        <Textarea label={t('maintenance.checklist')} description={t('maintenance.checklist_hint')} autosize minRows={2} disabled={!editable} {...form.getInputProps(at('checklist'))} />
      </SimpleGrid>
      {editable && (
        <RowMoves
          index={index}
          count={count}
          labels={{
            up: t('maintenance.row_up', { name }),
            down: t('maintenance.row_down', { name }),
            remove: t('maintenance.row_remove', { name }),
          }}
          onMove={(from, to) => {
            form.reorderListItem('rows', { from, to });
          }}
          onRemove={(i) => {
            form.removeListItem('rows', i);
          }}
        />
      )}
    </Paper>
  );
}

function usePlanForm(plan: MaintenancePlan, onChange: () => void) {
  const { t } = useTranslation();
  const required = (v: string) => (v.trim() ? null : t('form.required'));
  return useForm<{ rows: Row[] }>({
    initialValues: { rows: plan.components.map(toRow) },
    validate: { rows: { code: required, name: required } },
    onValuesChange: onChange,
  });
}

type PlanForm = ReturnType<typeof usePlanForm>;

function PlanEditor({ plan, editable }: { plan: MaintenancePlan; editable: boolean }) {
  const { t } = useTranslation();
  const save = useSavePlan(plan.model_code);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const form = usePlanForm(plan, () => {
    setSaved(false);
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  const rows = form.values.rows;
  const submit = form.onSubmit((values) => {
    setProblem(null);
    save.mutate(
      { version: plan.version, components: values.rows.map(toComponent) },
      {
        onSuccess: () => {
          setSaved(true);
          notifications.show({
            color: 'green',
            message: t('maintenance.saved'),
            closeButtonProps: { 'aria-label': t('claim_settings.close_notice') },
          });
        },
        onError: (error) => {
          if (error.status === 400 && error.fields.length) form.setErrors(rowErrors(error));
          setProblem(error);
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {problem && <Alert color="red" role="alert" title={problem.message} />}
        <Fieldset legend={t('maintenance.components')}>
          <Stack gap="sm">
            {rows.length === 0 && <Text c="dimmed">{t('maintenance.no_components')}</Text>}
            {rows.map((row, index) => (
              <ComponentRow key={row.id} form={form} row={row} index={index} count={rows.length} editable={editable} />
            ))}
            {editable && rows.length < MAX_COMPONENTS && (
              <Group>
                <Button
                  variant="default"
                  onClick={() => {
                    form.insertListItem('rows', emptyRow());
                  }}
                >
                  {t('maintenance.add_component')}
                </Button>
              </Group>
            )}
          </Stack>
        </Fieldset>
        {editable && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('maintenance.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

/** Maintenance plans (`/maintenance/plans?model=…`): a model's components, each with its cycle
 * (calendar months or days), first service, reminder lead, rhythm, price and checklist. The
 * desk edits; the others read. */
export function PlansPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const code = params.get('model') ?? '';
  const models = useModels();
  const plan = useMaintenancePlan(code);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const editable = roles.some((r) => PLAN_EDITORS.includes(r));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('maintenance.plans_title')}
      </Title>
      <Text c="dimmed">{t('maintenance.plans_intro')}</Text>
      <Select
        label={t('maintenance.model')}
        placeholder={t('maintenance.model_pick')}
        searchable
        data={(models.data ?? []).map((m) => ({ value: m.code, label: `${m.code} · ${m.name}` }))}
        value={code || null}
        onChange={(value) => {
          setParams(value ? { model: value } : {});
        }}
        maw={480}
      />
      {models.isError && <Alert color="red" role="alert" title={models.error.message} />}
      {code && plan.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {plan.isError && <Alert color="red" role="alert" title={plan.error.message} />}
      {plan.data && plan.data.version > 0 && (
        <Text size="sm" c="dimmed">
          {t('maintenance.saved_by', { version: plan.data.version, who: plan.data.updated_by ?? '', when: formatDateTime(plan.data.updated_at) })}
        </Text>
      )}
      {plan.data && <PlanEditor key={`${plan.data.model_code}-${String(plan.data.version)}`} plan={plan.data} editable={editable} />}
    </Stack>
  );
}
