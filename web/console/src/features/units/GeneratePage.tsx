import {
  Alert,
  Anchor,
  Button,
  Code,
  List,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DayInput } from '../../components/DayInput';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { generatedSerial, useBrand, useGenerateUnits, useModels, type Generated } from './api';

const MAX_COUNT = 10_000; // GenerateUnitsRequest.count
const BATCH = /^[\w\-./]*$/;
const SHOWN = 50; // serials listed after a run; the rest are in the list, by batch

interface Values {
  model_code: string;
  count: number | string;
  batch: string;
  manufactured_on: string;
}

/** Generate a range of serials for a model (admin): the brand's scheme (prefix + 8-digit
 * sequence + check character) and the next serials shown before, the serials made after. */
export function GeneratePage() {
  const { t } = useTranslation();
  const models = useModels();
  const brand = useBrand();
  const generate = useGenerateUnits();
  const [made, setMade] = useState<Generated | null>(null);
  const [madeBatch, setMadeBatch] = useState('');
  const today = new Date().toISOString().slice(0, 10);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { model_code: '', count: 100, batch: '', manufactured_on: '' },
    validate: {
      model_code: (value) => (value ? null : t('form.required')),
      count: (value) =>
        typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_COUNT
          ? null
          : t('generate.count_range', { max: MAX_COUNT }),
      batch: (value) => (value.length <= 40 && BATCH.test(value) ? null : t('generate.batch_invalid')),
      manufactured_on: (value) => (!value || value <= today ? null : t('generate.manufactured_future')),
    },
  });
  useLeaveGuard(form.isDirty() && !made, t('form.leave_unsaved'));

  const prefix = brand.data?.serial_prefix ?? '';
  const next = (brand.data?.serials_issued ?? 0) + 1;
  const count = typeof form.values.count === 'number' ? form.values.count : 0;
  const last = next + Math.max(count, 1) - 1;

  const submit = form.onSubmit((values) => {
    generate.mutate(
      {
        model_code: values.model_code,
        count: Number(values.count),
        batch: values.batch.trim(),
        manufactured_on: values.manufactured_on || null,
      },
      {
        onSuccess: (result) => {
          setMade(result);
          setMadeBatch(values.batch.trim());
          form.resetDirty();
          void brand.refetch();
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });

  return (
    <Stack>
      <Anchor component={Link} to="/units">
        {t('unit.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('generate.title')}
      </Title>
      {prefix && (
        <Paper withBorder p="md" data-testid="scheme">
          <Text fw={600}>{t('generate.scheme')}</Text>
          <Text size="sm">{t('generate.scheme_detail', { prefix })}</Text>
          <Text size="sm">
            {t('generate.next')}{' '}
            <Code>{generatedSerial(prefix, next)}</Code>
            {count > 1 && (
              <>
                {' … '}
                <Code>{generatedSerial(prefix, last)}</Code>
              </>
            )}
          </Text>
        </Paper>
      )}
      {brand.isError && <Alert color="red" role="alert" title={brand.error.message} />}
      {generate.isError && !generate.error.fields.length && (
        <Alert color="red" role="alert" title={generate.error.message} />
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('units.model')}
              required
              searchable
              data={(models.data ?? []).map((m) => ({ value: m.code, label: `${m.code} · ${m.name}` }))}
              {...form.getInputProps('model_code')}
            />
            <NumberInput
              label={t('generate.count')}
              required
              min={1}
              max={MAX_COUNT}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('count')}
            />
            <TextInput label={t('units.batch')} maxLength={40} {...form.getInputProps('batch')} />
            <DayInput
              label={t('unit.manufactured_on')}
              maxDate={today}
              value={form.values.manufactured_on}
              error={form.errors.manufactured_on}
              onChange={(value) => {
                form.setFieldValue('manufactured_on', value);
              }}
            />
          </SimpleGrid>
          <div>
            <Button type="submit" loading={generate.isPending}>
              {t('generate.submit')}
            </Button>
          </div>
        </Stack>
      </form>
      {made && (
        <Paper withBorder p="md" role="status" data-testid="generated">
          <Stack gap="xs">
            <Text fw={600}>{t('generate.done', { count: made.generated })}</Text>
            <List size="sm" ff="monospace">
              {made.serials.slice(0, SHOWN).map((serial) => (
                <List.Item key={serial}>
                  <Anchor component={Link} to={`/units/${encodeURIComponent(serial)}`}>
                    {serial}
                  </Anchor>
                </List.Item>
              ))}
            </List>
            {made.serials.length > SHOWN && (
              <Text size="sm">{t('generate.more', { count: made.serials.length - SHOWN })}</Text>
            )}
            {made.serials.length > 0 && (
              <Anchor component={Link} to={listOf(made.serials, madeBatch)}>
                {t('generate.see_in_list')}
              </Anchor>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** The list showing what was made: its batch, else the serials' common start. */
function listOf(serials: string[], batch: string): string {
  const query = new URLSearchParams(batch ? { batch } : { serial: `${commonStart(serials)}*` });
  return `/units?${query.toString()}`;
}

/** The longest start the serials share: `GAR00000101K`, `GAR00000199X` → `GAR000001`. */
function commonStart(serials: string[]): string {
  const first = serials[0] ?? '';
  const last = serials[serials.length - 1] ?? '';
  let end = 0;
  while (end < first.length && first[end] === last[end]) end += 1;
  return first.slice(0, end);
}
