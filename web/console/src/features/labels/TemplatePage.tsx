import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Grid,
  Group,
  Loader,
  Modal,
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
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import {
  ALIGNS,
  LANGS,
  MAX_TEXTS,
  TEMPLATE_NAME,
  TEXT_FIELDS,
  useDeleteTemplate,
  usePreview,
  useSaveTemplate,
  useTemplate,
  type Preview,
  type PreviewKind,
  type Template,
  type TemplateBody,
} from './api';
import { LabelsTabs, StockFields, TemplateKindBadge } from './parts';
import { bodyOf, newTextRow, templateErrors, valuesOf, type TemplateValues } from './templateForm';

const NEW = 'new';
const DEFAULT_BASE = '2x4cm-a4';
const PREVIEW_DELAY_MS = 300;

/** `/labels/templates/:name` (`new`, optionally `?from=` a template to start from). */
export function TemplatePage() {
  const { t } = useTranslation();
  const { name = '' } = useParams();
  const [params] = useSearchParams();
  const isNew = name === NEW;
  const source = isNew ? (params.get('from') ?? DEFAULT_BASE) : name;
  const template = useTemplate(source);

  return (
    <Stack>
      <LabelsTabs />
      <Anchor component={Link} to="/labels">
        {t('labels.editor.back')}
      </Anchor>
      {template.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {template.isError && <Alert color="red" role="alert" title={template.error.message} />}
      {template.data && <TemplateEditor key={`${name}/${source}`} template={template.data} isNew={isNew} />}
    </Stack>
  );
}

function TemplateEditor({ template, isNew }: { template: Template; isNew: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const isAdmin = session.status === 'signed_in' && session.session.roles.includes('admin');
  const readOnly = !isAdmin;
  const form = useTemplateForm(template, isNew);
  const save = useSaveTemplate();
  const remove = useDeleteTemplate();
  const [goTo, setGoTo] = useState<string | null>(null);
  const [savingAs, setSavingAs] = useState(false);
  useLeaveGuard(isAdmin && form.isDirty() && goTo === null, t('form.leave_unsaved'));
  useEffect(() => {
    // after the leave guard's own effect has seen that nothing is left unsaved
    if (goTo) void navigate(goTo);
  }, [goTo, navigate]);

  const [debounced] = useDebouncedValue(form.values, PREVIEW_DELAY_MS);
  const body = useMemo<TemplateBody | null>(
    () => (Object.keys(templateErrors(debounced, false)).length ? null : bodyOf(debounced)),
    [debounced],
  );

  const saveAs = (target: string, onError: (error: ApiError) => void) => {
    save.mutate(
      { name: target, body: bodyOf(form.getValues()) },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: t('labels.editor.saved', { name: saved.name }) });
          form.resetDirty();
          if (saved.name !== template.name || isNew) setGoTo(`/labels/templates/${encodeURIComponent(saved.name)}`);
        },
        onError,
      },
    );
  };
  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (form.validate().hasErrors) return;
    saveAs(isNew ? form.getValues().name : template.name, (error) => {
      if (error.status === 400) form.setErrors(fieldErrorsFrom(error));
    });
  };
  const confirmDelete = () => {
    modals.openConfirmModal({
      title: t('labels.editor.delete_title', { name: template.name }),
      children: <Text size="sm">{t('labels.editor.delete_text')}</Text>,
      labels: { confirm: t('labels.editor.delete'), cancel: t('labels.action.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => {
        remove.mutate(template.name, {
          onSuccess: () => {
            notifications.show({ color: 'green', message: t('labels.editor.deleted', { name: template.name }) });
            form.resetDirty();
            setGoTo('/labels');
          },
          onError: (error) => notifications.show({ color: 'red', message: error.message }),
        });
      },
    });
  };
  const generalError = save.error && save.error.fields.length === 0 ? save.error.message : null;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {isNew ? t('labels.editor.new_title') : template.name}
          </Title>
          {!isNew && (
            <TemplateKindBadge builtin={template.builtin} />
          )}
        </Group>
        {isAdmin && template.builtin && !isNew && (
          <Alert color="blue" role="status" title={t('labels.editor.builtin_note')} />
        )}
        {readOnly && <Alert color="blue" role="status" title={t('labels.editor.read_only')} />}
        {generalError && <Alert color="red" role="alert" title={generalError} />}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 7 }} order={{ base: 2, md: 1 }}>
            <Fieldset variant="unstyled" disabled={readOnly}>
              <Stack>
                {isNew && (
                  <TextInput
                    label={t('labels.template.name')}
                    description={t('labels.editor.name_hint')}
                    required
                    autoComplete="off"
                    {...form.getInputProps('name')}
                  />
                )}
                <LabelFields form={form} />
                <TextRows form={form} />
                <Paper withBorder p="sm">
                  <Title order={2} size="h4" mb="xs">
                    {t('labels.editor.stock')}
                  </Title>
                  <StockFields form={form} disabled={readOnly} />
                </Paper>
              </Stack>
            </Fieldset>
            {isAdmin && (
              <Group mt="md" gap="sm">
                {(isNew || !template.builtin) && (
                  <Button type="submit" loading={save.isPending}>
                    {t('labels.editor.save')}
                  </Button>
                )}
                {!isNew && (
                  <Button
                    variant="default"
                    onClick={() => {
                      setSavingAs(true);
                    }}
                  >
                    {t('labels.editor.save_as')}
                  </Button>
                )}
                {!isNew && !template.builtin && (
                  <Button variant="outline" color="red" onClick={confirmDelete} loading={remove.isPending}>
                    {t('labels.editor.delete')}
                  </Button>
                )}
              </Group>
            )}
          </Grid.Col>
          {/* on a phone the drawings come first: what the template prints, then its values */}
          <Grid.Col span={{ base: 12, md: 5 }} order={{ base: 1, md: 2 }}>
            <Stack style={{ position: 'sticky', top: 72 }}>
              <PreviewPanel body={body} what="label" />
              <PreviewPanel body={body} what="sheet" />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
      <SaveAsModal
        opened={savingAs}
        pending={save.isPending}
        onClose={() => {
          setSavingAs(false);
        }}
        onSave={(target, onError) => {
          if (Object.keys(templateErrors(form.getValues(), false)).length) {
            setSavingAs(false);
            form.validate();
            return;
          }
          saveAs(target, onError);
        }}
      />
    </form>
  );
}

function useTemplateForm(template: Template, isNew: boolean) {
  return useForm<TemplateValues>({
    initialValues: valuesOf(template, isNew ? '' : template.name),
    validate: (values) => templateErrors(values, isNew),
    validateInputOnChange: true,
  });
}

type Form = ReturnType<typeof useTemplateForm>;

function LabelFields({ form }: { form: Form }) {
  const { t } = useTranslation();
  const number = (path: string, label: string) => (
    <NumberInput label={t(label)} step={0.5} min={0} decimalScale={2} {...form.getInputProps(path)} />
  );
  return (
    <Paper withBorder p="sm">
      <Title order={2} size="h4" mb="xs">
        {t('labels.editor.label')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        {number('label.width_mm', 'labels.field.width')}
        {number('label.height_mm', 'labels.field.height')}
        {number('label.qr.x_mm', 'labels.field.qr_x')}
        {number('label.qr.y_mm', 'labels.field.qr_y')}
        {number('label.qr.size_mm', 'labels.field.qr_size')}
      </SimpleGrid>
      {form.errors['label.qr'] && (
        <Text c="var(--bad)" size="sm" role="alert" mt="xs">
          {t('labels.editor.qr_box')}: {form.errors['label.qr']}
        </Text>
      )}
    </Paper>
  );
}

function TextRows({ form }: { form: Form }) {
  const { t } = useTranslation();
  const rows = form.values.label.texts;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('labels.editor.texts')}
        </Title>
        <Button
          variant="default"
          size="compact-sm"
          disabled={rows.length >= MAX_TEXTS}
          onClick={() => {
            form.insertListItem('label.texts', newTextRow(form.getValues()));
          }}
        >
          {t('labels.editor.add_text')}
        </Button>
      </Group>
      {rows.length === 0 && <Text size="sm">{t('labels.editor.no_texts')}</Text>}
      <Stack gap="sm">
        {rows.map((row, index) => {
          const path = `label.texts.${index}`;
          const number = (name: string, label: string, step = 0.5) => (
            <NumberInput
              label={t(label)}
              step={step}
              min={0}
              decimalScale={step === 1 ? 0 : 2}
              {...form.getInputProps(`${path}.${name}`)}
            />
          );
          return (
            // rows have no identity of their own: the index is what the API names them by
            <Paper key={index} withBorder p="xs" bg="var(--card)" data-testid="text-row">
              <Text size="sm" fw={600} mb={4}>
                {t('labels.editor.text_n', { n: index + 1 })}
              </Text>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                <Select
                  label={t('labels.field.field')}
                  data={TEXT_FIELDS.map((value) => ({ value, label: t(`labels.text_field.${value}`) }))}
                  allowDeselect={false}
                  {...form.getInputProps(`${path}.field`)}
                />
                {number('x_mm', 'labels.field.x')}
                {number('y_mm', 'labels.field.y')}
                {number('width_mm', 'labels.field.text_width')}
                {number('font_pt', 'labels.field.font_pt', 0.25)}
                {number('max_lines', 'labels.field.max_lines', 1)}
                <Select
                  label={t('labels.field.align')}
                  data={ALIGNS.map((value) => ({ value, label: t(`labels.align.${value}`) }))}
                  allowDeselect={false}
                  {...form.getInputProps(`${path}.align`)}
                />
                {row.field === 'instruction' && (
                  <Select
                    label={t('labels.field.lang')}
                    data={LANGS.map((value) => ({ value, label: t(`labels.lang.${value}`) }))}
                    allowDeselect={false}
                    {...form.getInputProps(`${path}.lang`)}
                  />
                )}
              </SimpleGrid>
              {row.field === 'custom' && (
                <TextInput mt="xs" label={t('labels.field.text')} maxLength={60} {...form.getInputProps(`${path}.text`)} />
              )}
              <Group justify="space-between" mt="xs">
                <Checkbox label={t('labels.field.bold')} {...form.getInputProps(`${path}.bold`, { type: 'checkbox' })} />
                <Button
                  variant="subtle"
                  color="red"
                  size="compact-sm"
                  onClick={() => {
                    form.removeListItem('label.texts', index);
                  }}
                >
                  {t('labels.editor.remove_text', { n: index + 1 })}
                </Button>
              </Group>
              {form.errors[path] && (
                <Text c="var(--bad)" size="sm" role="alert" mt={4}>
                  {form.errors[path]}
                </Text>
              )}
            </Paper>
          );
        })}
      </Stack>
    </Paper>
  );
}

function svgSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** One label or one page, drawn by the API from the form's values as they are typed; while a
 * value is invalid the last good drawing stays, with a note saying so. */
function PreviewPanel({ body, what }: { body: TemplateBody | null; what: PreviewKind }) {
  const { t } = useTranslation();
  const preview = usePreview(body, what);
  const [shown, setShown] = useState<Preview | undefined>(undefined);
  if (preview.data && !preview.isPlaceholderData && preview.data !== shown) setShown(preview.data);
  const stale = body === null || preview.isError;
  // a page's SVG is a few hundred KB: encode it once per drawing, not once per keystroke
  const source = useMemo(() => (shown ? svgSource(shown.svg) : ''), [shown]);
  return (
    <Paper withBorder p="sm" data-testid={`preview-${what}`}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4">
          {t(`labels.preview.${what}`)}
        </Title>
        {preview.isFetching && <Loader size="xs" role="status" aria-label={t('labels.preview.updating')} />}
      </Group>
      {shown ? (
        <img
          src={source}
          alt={t(`labels.preview.${what}_alt`, { width: shown.width_mm, height: shown.height_mm })}
          data-labels={shown.labels}
          style={{
            display: 'block',
            width: '100%',
            maxHeight: what === 'label' ? 240 : 560,
            objectFit: 'contain',
            border: '1px solid var(--mantine-color-gray-4)',
            background: '#fff',
          }}
        />
      ) : (
        !stale && <Loader size="sm" role="status" aria-label={t('state.loading')} />
      )}
      {shown && what === 'sheet' && (
        <Text size="sm" mt="xs" data-testid="per-page">
          {shown.rows === 1 && shown.columns === 1 && shown.per_page === 1
            ? t('labels.preview.one_a_page')
            : t('labels.template.sheet_grid', { columns: shown.columns, rows: shown.rows, count: shown.per_page })}
        </Text>
      )}
      {stale && (
        <Text size="sm" mt="xs" c="var(--warn)" role="status">
          {preview.isError && preview.error.fields.length === 0 ? preview.error.message : t('labels.preview.stale')}
        </Text>
      )}
    </Paper>
  );
}

function SaveAsModal({
  opened,
  pending,
  onClose,
  onSave,
}: {
  opened: boolean;
  pending: boolean;
  onClose: () => void;
  onSave: (name: string, onError: (error: ApiError) => void) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal opened={opened} onClose={onClose} title={t('labels.editor.save_as_title')}>
      <Stack>
        <TextInput
          label={t('labels.template.name')}
          description={t('labels.editor.name_hint')}
          value={name}
          error={error}
          data-autofocus
          autoComplete="off"
          onChange={(event) => {
            setName(event.currentTarget.value);
            setError(null);
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('labels.action.cancel')}
          </Button>
          <Button
            loading={pending}
            onClick={() => {
              if (!TEMPLATE_NAME.test(name)) {
                setError(t('labels.error.name'));
                return;
              }
              onSave(name, (problem) => {
                setError(problem.fields.find((f) => f.field === 'name')?.message ?? problem.message);
              });
            }}
          >
            {t('labels.editor.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
