import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { RowMoves } from '../../components/RowMoves';
import { formatDateTime } from '../format';
import {
  FIELD_TYPES,
  useClaimForm,
  useSaveClaimForm,
  type ClaimFormDetail,
  type FieldType,
  type FormField,
  type FormScope,
} from './api';
import { FormPreview } from './FormPreview';

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const OPTION = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const MAX_FIELDS = 30;
const MAX_OPTIONS = 50;
const MAX_LABEL = 100;

interface OptionRow {
  id: string; // the row's identity while it moves (not sent)
  value: string;
  label: string;
  label_en: string;
}

interface FieldRow {
  id: string;
  key: string;
  type: FieldType;
  label: string;
  label_en: string;
  required: boolean;
  options: OptionRow[];
}

interface BuilderValues {
  fields: FieldRow[];
}

let seed = 0;
const rowId = () => `r${String(++seed)}`;

function rowsOf(fields: FormField[]): FieldRow[] {
  return fields.map((f) => ({ ...f, id: rowId(), options: f.options.map((o) => ({ ...o, id: rowId() })) }));
}

function fieldsOf(rows: FieldRow[]): FormField[] {
  return rows.map((row) => ({
    key: row.key.trim(),
    type: row.type,
    label: row.label.trim(),
    label_en: row.label_en.trim(),
    required: row.required,
    options: row.type === 'select' ? row.options.map((o) => ({ value: o.value.trim(), label: o.label.trim(), label_en: o.label_en.trim() })) : [],
  }));
}

function useBuilderForm(start: FormField[], onChange: () => void) {
  const { t } = useTranslation();
  const label = (v: string) => (!v.trim() ? t('form.required') : v.trim().length > MAX_LABEL ? t('claim_settings.label_too_long') : null);
  return useForm<BuilderValues>({
    initialValues: { fields: rowsOf(start) },
    validate: {
      fields: {
        key: (v, values, path) => {
          const index = Number(path.split('.')[1]);
          if (!KEY.test(v.trim())) return t('claim_settings.key_invalid');
          return values.fields.findIndex((f) => f.key.trim() === v.trim()) !== index ? t('claim_settings.key_twice') : null;
        },
        label,
        label_en: (v) => (v.trim().length > MAX_LABEL ? t('claim_settings.label_too_long') : null),
        options: {
          value: (v, values, path) => {
            const [, fieldIndex, , optionIndex] = path.split('.');
            const options = values.fields[Number(fieldIndex)]?.options ?? [];
            if (!OPTION.test(v.trim())) return t('claim_settings.option_invalid');
            return options.findIndex((o) => o.value.trim() === v.trim()) !== Number(optionIndex) ? t('claim_settings.option_twice') : null;
          },
          label,
        },
        type: (v, values, path) => {
          const field = values.fields[Number(path.split('.')[1])];
          return v === 'select' && (field?.options.length ?? 0) === 0 ? t('claim_settings.options_needed') : null;
        },
      },
    },
    onValuesChange: onChange,
  });
}

type BuilderForm = ReturnType<typeof useBuilderForm>;

function OptionRows({ form, index }: { form: BuilderForm; index: number }) {
  const { t } = useTranslation();
  const options = form.values.fields[index]?.options ?? [];
  return (
    <Stack gap="xs" pl="md" data-testid="option-rows">
      <Text size="sm" fw={500}>
        {t('claim_settings.options')}
      </Text>
      {options.map((option, o) => (
        <Group key={option.id} gap="xs" align="flex-start" wrap="wrap">
          <TextInput
            label={t('claim_settings.option_value')}
            w={130}
            {...form.getInputProps(`fields.${String(index)}.options.${String(o)}.value`)}
          />
          <TextInput
            label={t('claim_settings.label_vi')}
            style={{ flex: 1, minWidth: 140 }}
            {...form.getInputProps(`fields.${String(index)}.options.${String(o)}.label`)}
          />
          <TextInput
            label={t('claim_settings.label_en')}
            style={{ flex: 1, minWidth: 140 }}
            {...form.getInputProps(`fields.${String(index)}.options.${String(o)}.label_en`)}
          />
          <Button
            variant="default"
            size="xs"
            mt={24}
            onClick={() => {
              form.removeListItem(`fields.${String(index)}.options`, o);
            }}
          >
            {t('claim_settings.option_remove')}
          </Button>
        </Group>
      ))}
      {options.length < MAX_OPTIONS && (
        <Group>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              form.insertListItem(`fields.${String(index)}.options`, { id: rowId(), value: '', label: '', label_en: '' });
            }}
          >
            {t('claim_settings.option_add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function FieldCard({ form, index }: { form: BuilderForm; index: number }) {
  const { t } = useTranslation();
  const rows = form.values.fields;
  const row = rows[index];
  if (!row) return null;
  const name = row.label || row.key || String(index + 1);
  const path = `fields.${String(index)}`;
  return (
    <Paper withBorder p="sm" data-testid="field-row">
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput label={t('claim_settings.key')} description={t('claim_settings.key_hint')} {...form.getInputProps(`${path}.key`)} />
          <Select
            label={t('claim_settings.type')}
            allowDeselect={false}
            data={FIELD_TYPES.map((type) => ({ value: type, label: t(`claim_settings.type_${type}`) }))}
            {...form.getInputProps(`${path}.type`)}
          />
          <TextInput label={t('claim_settings.label_vi')} required {...form.getInputProps(`${path}.label`)} />
          <TextInput label={t('claim_settings.label_en')} {...form.getInputProps(`${path}.label_en`)} />
        </SimpleGrid>
        <Checkbox label={t('claim_settings.required')} {...form.getInputProps(`${path}.required`, { type: 'checkbox' })} />
        {row.type === 'select' && <OptionRows form={form} index={index} />}
        <RowMoves
          index={index}
          count={rows.length}
          labels={{
            up: t('claim_settings.field_up', { name }),
            down: t('claim_settings.field_down', { name }),
            remove: t('claim_settings.field_remove', { name }),
          }}
          onMove={(from, to) => {
            form.reorderListItem('fields', { from, to });
          }}
          onRemove={(at) => {
            form.removeListItem('fields', at);
          }}
        />
      </Stack>
    </Paper>
  );
}

function Builder({ detail }: { detail: ClaimFormDetail }) {
  const { t } = useTranslation();
  const save = useSaveClaimForm();
  const own = detail.current?.fields ?? [];
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const form = useBuilderForm(own.length ? own : detail.inherited.fields, () => {
    setSaved(false);
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));

  const send = (fields: FormField[]) => {
    setProblem(null);
    save.mutate(
      { scope: detail.scope, target: detail.target, version: detail.current?.version ?? 0, fields },
      {
        onSuccess: (next) => {
          setSaved(true);
          notifications.show({
            color: 'green',
            message: t('claim_settings.form_saved', { version: next.version }),
            closeButtonProps: { 'aria-label': t('claim_settings.close_notice') },
          });
        },
        onError: (error) => {
          if (error.status === 400 && error.fields.length) form.setErrors(fieldErrorsFrom(error));
          setProblem(error);
        },
      },
    );
  };
  const submit = form.onSubmit((values) => {
    send(fieldsOf(values.fields));
  });
  const fields = fieldsOf(form.values.fields);
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <form onSubmit={submit} noValidate>
          <Stack>
            {problem && <Alert color="red" role="alert" title={problem.message} />}
            {own.length === 0 && (
              <Alert color="blue" role="status" title={t(`claim_settings.inherits_${detail.inherited.source}`)}>
                {t('claim_settings.inherits_hint')}
              </Alert>
            )}
            {form.values.fields.map((row, index) => (
              <FieldCard key={row.id} form={form} index={index} />
            ))}
            <Group>
              {form.values.fields.length < MAX_FIELDS && (
                <Button
                  variant="default"
                  onClick={() => {
                    form.insertListItem('fields', {
                      id: rowId(),
                      key: '',
                      type: 'text',
                      label: '',
                      label_en: '',
                      required: false,
                      options: [],
                    });
                  }}
                >
                  {t('claim_settings.field_add')}
                </Button>
              )}
              <Button type="submit" loading={save.isPending}>
                {t('claim_settings.form_save')}
              </Button>
              {own.length > 0 && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    send([]);
                  }}
                >
                  {t('claim_settings.form_inherit')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <FormPreview fields={fields} />
      </Grid.Col>
    </Grid>
  );
}

/** The request form of one model (`?model=`) or one category (`?category=`): its fields (add,
 * remove, reorder; type, required, options, labels in both languages), a live preview, and
 * its versions. Saving makes the next version; an empty form inherits again. */
export function FormBuilderPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const scope: FormScope = params.has('category') ? 'category' : 'model';
  const target = params.get(scope) ?? '';
  const detail = useClaimForm(scope, target);
  const current = detail.data?.current;
  return (
    <Stack>
      <Anchor component={Link} to="/claim-settings">
        {t('claim_settings.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t(`claim_settings.form_title_${scope}`, { target: detail.data?.target ?? target })}
      </Title>
      {current && (
        <Group gap="xs">
          <Badge variant="light">{t('claim_settings.version', { version: current.version })}</Badge>
          <Text size="sm" c="dimmed">
            {t('claim_settings.saved_by', { who: current.updated_by, when: formatDateTime(current.updated_at) })}
          </Text>
        </Group>
      )}
      {detail.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {detail.isError && <Alert color="red" role="alert" title={detail.error.message} />}
      {detail.data && <Builder key={`${detail.data.target}-${String(current?.version ?? 0)}`} detail={detail.data} />}
    </Stack>
  );
}
