import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  FileInput,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import i18n from '../../i18n';
import { fieldErrorsFrom } from '../../components/forms';
import { useCreateJob, useTemplates, type JobSelection } from './api';
import { LabelsTabs, StockFields } from './parts';
import { stockBody, stockValues, templateErrors, type TemplateValues } from './templateForm';

const MAX_FILE_BYTES = 3 * 1024 * 1024; // the API's limit on a job's body
const BATCH = /^[\w\-./]{1,40}$/;
const KINDS = ['batch', 'range', 'file'] as const;

interface JobValues {
  template: string;
  kind: (typeof KINDS)[number];
  batch: string;
  from_serial: string;
  to_serial: string;
  file: File | null;
  other_stock: boolean;
  stock: TemplateValues['stock'];
}

function jobErrors(values: JobValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = i18n.t('form.required');
  if (!values.template) errors.template = required;
  if (values.kind === 'batch' && !BATCH.test(values.batch.trim())) {
    errors.batch = values.batch.trim() ? i18n.t('labels.error.batch') : required;
  }
  if (values.kind === 'range') {
    if (!values.from_serial.trim()) errors.from_serial = required;
    if (!values.to_serial.trim()) errors.to_serial = required;
  }
  if (values.kind === 'file') {
    if (!values.file) errors.file = required;
    else if (values.file.size > MAX_FILE_BYTES) errors.file = i18n.t('labels.error.file_too_big', { max: 3 });
  }
  if (values.other_stock && values.kind !== 'file') {
    // the stock's rules are the template's: reuse them on a stand-in label
    const stand = templateErrors(
      { name: '', label: { width_mm: 20, height_mm: 10, qr: { x_mm: 0, y_mm: 0, size_mm: 10 }, texts: [] }, stock: values.stock },
      false,
    );
    for (const [path, message] of Object.entries(stand)) if (path.startsWith('stock.')) errors[path] = message;
  }
  return errors;
}

function selectionOf(values: JobValues): JobSelection {
  if (values.kind === 'batch') return { kind: 'batch', batch: values.batch.trim() };
  if (values.kind === 'range') {
    return { kind: 'range', from_serial: values.from_serial.trim(), to_serial: values.to_serial.trim() };
  }
  if (!values.file) throw new Error('a file is required'); // the form's rules ask for one first
  return { kind: 'file', file: values.file };
}

/** A new label job: a template and a batch, a serial range or a file of serials, optionally on
 * other stock; then the job's page follows its progress to the download. */
export function NewJobPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const templates = useTemplates();
  const create = useCreateJob();
  const [goTo, setGoTo] = useState<string | null>(null);
  useEffect(() => {
    if (goTo) void navigate(goTo);
  }, [goTo, navigate]);
  const form = useForm<JobValues>({
    initialValues: {
      template: '2x4cm-a4',
      kind: 'batch',
      batch: '',
      from_serial: '',
      to_serial: '',
      file: null,
      other_stock: false,
      stock: stockValues(undefined),
    },
    validate: jobErrors,
  });
  const values = form.values;

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (form.validate().hasErrors) return;
    const current = form.getValues();
    create.mutate(
      {
        template: current.template,
        selection: selectionOf(current),
        stock: current.other_stock && current.kind !== 'file' ? stockBody(current.stock) : null,
      },
      {
        onSuccess: (job) => {
          setGoTo(`/labels/jobs/${encodeURIComponent(job.job_id)}`);
        },
        onError: (error) => {
          if (error.status === 400) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  };
  const generalError = create.error && create.error.fields.length === 0 ? create.error.message : null;

  return (
    <Stack>
      <LabelsTabs />
      <Anchor component={Link} to="/labels/jobs">
        {t('labels.job.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('labels.new_job.title')}
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <Stack maw={720}>
          {generalError && <Alert color="red" role="alert" title={generalError} />}
          <Select
            label={t('labels.job.template')}
            data={(templates.data?.records ?? []).map((tpl) => ({ value: tpl.name, label: tpl.name }))}
            allowDeselect={false}
            searchable
            required
            {...form.getInputProps('template')}
          />
          <Radio.Group label={t('labels.new_job.what')} {...form.getInputProps('kind')}>
            <Group gap="md" mt={4}>
              {KINDS.map((kind) => (
                <Radio key={kind} value={kind} label={t(`labels.new_job.kind.${kind}`)} />
              ))}
            </Group>
          </Radio.Group>
          {values.kind === 'batch' && (
            <TextInput
              label={t('labels.new_job.batch')}
              description={t('labels.new_job.batch_hint')}
              autoComplete="off"
              required
              {...form.getInputProps('batch')}
            />
          )}
          {values.kind === 'range' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <TextInput label={t('labels.new_job.from_serial')} autoComplete="off" required {...form.getInputProps('from_serial')} />
              <TextInput label={t('labels.new_job.to_serial')} autoComplete="off" required {...form.getInputProps('to_serial')} />
            </SimpleGrid>
          )}
          {values.kind === 'file' && (
            <FileInput
              label={t('labels.new_job.file')}
              description={t('labels.new_job.file_hint')}
              accept=".csv,.txt,text/csv,text/plain"
              clearable
              required
              {...form.getInputProps('file')}
            />
          )}
          {values.kind !== 'file' ? (
            <Checkbox label={t('labels.new_job.other_stock')} {...form.getInputProps('other_stock', { type: 'checkbox' })} />
          ) : (
            <Text size="sm">{t('labels.new_job.file_stock_note')}</Text>
          )}
          {values.other_stock && values.kind !== 'file' && (
            <Paper withBorder p="sm">
              <StockFields form={form} disabled={false} />
            </Paper>
          )}
          <div>
            <Button type="submit" loading={create.isPending}>
              {t('labels.new_job.submit')}
            </Button>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
