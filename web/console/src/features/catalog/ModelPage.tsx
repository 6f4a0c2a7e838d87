import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  Fieldset,
  Group,
  Image,
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
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { RowMoves } from '../../components/RowMoves';
import {
  IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  START_BASES,
  useDeleteModel,
  useModel,
  useModelCategories,
  useSaveModel,
  useUploadImage,
  type ModelRequest,
  type ProductModel,
  type StartBasis,
} from './api';
import { useSession } from '../../auth/session';
import { mayUse } from '../../shell/menu';
import { useMayEditCatalog } from './ModelsPage';

interface SpecRow {
  key: string; // the row's identity while it moves (not sent)
  label: string;
  value: string;
  label_en: string;
  value_en: string;
}

interface ComponentRow {
  key: string; // the row's identity while it moves (not sent)
  code: string;
  name: string;
  name_en: string;
  months: number | string;
  activated_within_months: number | string;
}

interface ModelValues {
  code: string;
  name: string;
  description: string;
  name_en: string;
  description_en: string;
  category: string;
  category_en: string;
  specs: SpecRow[];
  warranty_months: number | string;
  warranty_start_basis: StartBasis;
  max_months_from_manufacture: number | string;
  activation_deadline_days: number | string;
  components: ComponentRow[];
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9\-_.]*$/;
const MAX_SPECS = 40;
const MAX_COMPONENTS = 20;
const COMPONENT_CODE = /^[a-z][a-z0-9_]{0,29}$/;
let rowSeed = 0;
const rowKey = () => `row-${++rowSeed}`;

function valuesOf(model: ProductModel | null): ModelValues {
  if (!model) {
    return {
      code: '',
      name: '',
      description: '',
      name_en: '',
      description_en: '',
      category: '',
      category_en: '',
      specs: [],
      warranty_months: 12,
      warranty_start_basis: 'activation',
      max_months_from_manufacture: '',
      activation_deadline_days: '',
      components: [],
    };
  }
  return {
    code: model.code,
    name: model.name,
    description: model.description,
    name_en: model.name_en,
    description_en: model.description_en,
    category: model.category,
    category_en: model.category_en,
    specs: Object.entries(model.specs).map(([label, value]) => ({
      key: rowKey(),
      label,
      value,
      label_en: model.spec_labels_en[label] ?? '',
      value_en: model.spec_values_en[label] ?? '',
    })),
    warranty_months: model.warranty_months,
    warranty_start_basis: model.warranty_start_basis,
    max_months_from_manufacture: model.max_months_from_manufacture ?? '',
    activation_deadline_days: model.activation_deadline_days ?? '',
    components: model.components.map((part) => ({
      key: rowKey(),
      code: part.code,
      name: part.name,
      name_en: part.name_en,
      months: part.months,
      activated_within_months: part.activated_within_months ?? '',
    })),
  };
}

const optionalNumber = (value: number | string): number | null => (value === '' ? null : Number(value));

function requestOf(values: ModelValues, model: ProductModel | null): ModelRequest {
  const rows = values.specs.map((row) => ({ ...row, label: row.label.trim() }));
  const body: ModelRequest = {
    name: values.name.trim(),
    description: values.description.trim(),
    image_url: model?.image_url ?? '',
    specs: Object.fromEntries(rows.map((row) => [row.label, row.value.trim()])),
    name_en: values.name_en.trim(),
    description_en: values.description_en.trim(),
    category: values.category.trim(),
    category_en: values.category_en.trim(),
    spec_labels_en: Object.fromEntries(rows.filter((r) => r.label_en.trim()).map((r) => [r.label, r.label_en.trim()])),
    spec_values_en: Object.fromEntries(rows.filter((r) => r.value_en.trim()).map((r) => [r.label, r.value_en.trim()])),
    warranty_months: Number(values.warranty_months),
    warranty_start_basis: values.warranty_start_basis,
    max_months_from_manufacture: optionalNumber(values.max_months_from_manufacture),
    activation_deadline_days: optionalNumber(values.activation_deadline_days),
    components: values.components.map((part) => ({
      code: part.code.trim(),
      name: part.name.trim(),
      name_en: part.name_en.trim(),
      months: Number(part.months),
      activated_within_months: optionalNumber(part.activated_within_months),
    })),
  };
  return model ? body : { ...body, code: values.code.trim() };
}

// `specs.Công suất` (a field error of the specs map) → the specs list as a whole
function formErrorsFrom(error: ApiError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrorsFrom(error))) {
    const name = field.split('.')[0] ?? field;
    errors[name.startsWith('spec') ? 'specs' : name] = message;
    if (name === 'components') errors[field] = message; // on the part's own field too
  }
  return errors;
}

function inRange(min: number, max: number, message: string, optional = false) {
  return (value: number | string) => {
    if (value === '') return optional ? null : message;
    const n = Number(value);
    return Number.isInteger(n) && n >= min && n <= max ? null : message;
  };
}

function useModelForm(model: ProductModel | null, onChange: () => void) {
  const { t } = useTranslation();
  return useForm<ModelValues>({
    initialValues: valuesOf(model),
    validate: {
      code: (v) => (model || (CODE.test(v.trim()) && v.trim().length <= 40) ? null : t('models.code_invalid')),
      name: (v) => (!v.trim() ? t('form.required') : v.trim().length > 150 ? t('models.too_long', { max: 150 }) : null),
      name_en: (v) => (v.trim().length > 150 ? t('models.too_long', { max: 150 }) : null),
      description: (v) => (v.trim().length > 2000 ? t('models.too_long', { max: 2000 }) : null),
      description_en: (v) => (v.trim().length > 2000 ? t('models.too_long', { max: 2000 }) : null),
      category: (v) => (v.trim().length > 60 ? t('models.too_long', { max: 60 }) : null),
      category_en: (v) => (v.trim().length > 60 ? t('models.too_long', { max: 60 }) : null),
      specs: {
        label: (v, values, path) => {
          const label = v.trim();
          if (!label || label.length > 60) return t('models.spec_label_invalid');
          const index = Number(path.split('.')[1]);
          const first = values.specs.findIndex((row) => row.label.trim() === label);
          return first !== index ? t('models.spec_label_twice') : null;
        },
        value: (v) => (v.trim().length > 200 ? t('models.too_long', { max: 200 }) : null),
        label_en: (v) => (v.trim().length > 60 ? t('models.too_long', { max: 60 }) : null),
        value_en: (v) => (v.trim().length > 200 ? t('models.too_long', { max: 200 }) : null),
      },
      warranty_months: inRange(1, 240, t('models.months_invalid')),
      max_months_from_manufacture: (v, values) =>
        inRange(1, 240, t('models.months_invalid'), true)(v) ??
        (v !== '' && Number(v) < Number(values.warranty_months) ? t('models.cap_too_short') : null),
      activation_deadline_days: inRange(1, 3650, t('models.deadline_invalid'), true),
      components: {
        code: (v, values, path) => {
          const code = v.trim();
          if (!COMPONENT_CODE.test(code)) return t('models.component_code_invalid');
          const index = Number(path.split('.')[1]);
          return values.components.findIndex((part) => part.code.trim() === code) !== index ? t('models.component_code_twice') : null;
        },
        name: (v) => (!v.trim() ? t('form.required') : v.trim().length > 60 ? t('models.too_long', { max: 60 }) : null),
        name_en: (v) => (v.trim().length > 60 ? t('models.too_long', { max: 60 }) : null),
        months: inRange(1, 240, t('models.months_invalid')),
        activated_within_months: inRange(1, 240, t('models.months_invalid'), true),
      },
    },
    onValuesChange: onChange,
  });
}

type ModelFormApi = ReturnType<typeof useModelForm>;

function SpecRows({ form, disabled }: { form: ModelFormApi; disabled: boolean }) {
  const { t } = useTranslation();
  const rows = form.values.specs;
  return (
    <Fieldset legend={t('models.specs')} disabled={disabled}>
      <Stack gap="sm">
        {rows.length === 0 && <Text c="dimmed">{t('models.no_specs')}</Text>}
        {rows.map((row, index) => (
          <Paper key={row.key} withBorder p="xs" data-testid="spec-row">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <TextInput label={t('models.spec_label')} {...form.getInputProps(`specs.${index}.label`)} />
              <TextInput label={t('models.spec_value')} {...form.getInputProps(`specs.${index}.value`)} />
              <TextInput label={t('models.spec_label_en')} {...form.getInputProps(`specs.${index}.label_en`)} />
              <TextInput label={t('models.spec_value_en')} {...form.getInputProps(`specs.${index}.value_en`)} />
            </SimpleGrid>
            <RowMoves
              index={index}
              count={rows.length}
              disabled={disabled}
              labels={{
                up: t('models.spec_up', { label: row.label || index + 1 }),
                down: t('models.spec_down', { label: row.label || index + 1 }),
                remove: t('models.spec_remove'),
              }}
              onMove={(from, to) => {
                form.reorderListItem('specs', { from, to });
              }}
              onRemove={(at) => {
                form.removeListItem('specs', at);
              }}
            />
          </Paper>
        ))}
        {form.errors.specs && (
          <Text c="var(--bad)" size="sm" role="alert">
            {form.errors.specs}
          </Text>
        )}
        {!disabled && rows.length < MAX_SPECS && (
          <Group>
            <Button
              variant="default"
              onClick={() => {
                form.insertListItem('specs', { key: rowKey(), label: '', value: '', label_en: '', value_en: '' });
              }}
            >
              {t('models.spec_add')}
            </Button>
          </Group>
        )}
      </Stack>
    </Fieldset>
  );
}

function ComponentRows({ form, disabled }: { form: ModelFormApi; disabled: boolean }) {
  const { t } = useTranslation();
  const rows = form.values.components;
  return (
    <Fieldset legend={t('models.components')} disabled={disabled}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('models.components_hint')}
        </Text>
        {rows.length === 0 && <Text c="dimmed">{t('models.no_components')}</Text>}
        {rows.map((row, index) => (
          <Paper key={row.key} withBorder p="xs" data-testid="component-row">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
              <TextInput label={t('models.component_code')} {...form.getInputProps(`components.${String(index)}.code`)} />
              <TextInput label={t('models.component_name')} required {...form.getInputProps(`components.${String(index)}.name`)} />
              <TextInput label={t('models.component_name_en')} {...form.getInputProps(`components.${String(index)}.name_en`)} />
              <NumberInput
                label={t('models.component_months')}
                required
                min={1}
                max={240}
                allowDecimal={false}
                {...form.getInputProps(`components.${String(index)}.months`)}
              />
              <NumberInput
                label={t('models.component_within')}
                description={t('models.component_within_hint')}
                min={1}
                max={240}
                allowDecimal={false}
                {...form.getInputProps(`components.${String(index)}.activated_within_months`)}
              />
            </SimpleGrid>
            {!disabled && (
              <Group gap="xs" mt="xs" justify="flex-end">
                <Button
                  variant="default"
                  size="xs"
                  color="red"
                  onClick={() => {
                    form.removeListItem('components', index);
                  }}
                >
                  {t('models.component_remove', { name: row.name || row.code || index + 1 })}
                </Button>
              </Group>
            )}
          </Paper>
        ))}
        {!disabled && rows.length < MAX_COMPONENTS && (
          <Group>
            <Button
              variant="default"
              onClick={() => {
                form.insertListItem('components', {
                  key: rowKey(),
                  code: '',
                  name: '',
                  name_en: '',
                  months: 60,
                  activated_within_months: '',
                });
              }}
            >
              {t('models.component_add')}
            </Button>
          </Group>
        )}
      </Stack>
    </Fieldset>
  );
}

function ClaimSettingsLinks({ code }: { code: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  if (!mayUse('/claim-settings', roles)) return null;
  return (
    <Group>
      <Anchor component={Link} to={`/claim-settings/form?${new URLSearchParams({ model: code }).toString()}`}>
        {t('models.claim_form_link')}
      </Anchor>
      <Anchor component={Link} to={`/claim-settings/help/${encodeURIComponent(code)}`}>
        {t('models.help_link')}
      </Anchor>
    </Group>
  );
}

function PictureUpload({ model, mayEdit }: { model: ProductModel; mayEdit: boolean }) {
  const { t } = useTranslation();
  const upload = useUploadImage(model.code);
  const [refusal, setRefusal] = useState<string | null>(null);

  const refused = (rejections: FileRejection[]) => {
    const code = rejections[0]?.errors[0]?.code;
    setRefusal(t(code === 'file-too-large' ? 'models.image_too_large' : 'models.image_wrong_type'));
  };

  return (
    <Fieldset legend={t('models.image')}>
      <Stack>
        {model.image_src ? (
          <Image
            src={model.image_src}
            alt={t('models.image_alt', { name: model.name })}
            maw={240}
            radius="sm"
            data-testid="model-image"
          />
        ) : (
          <Text c="dimmed">{t('models.no_image')}</Text>
        )}
        {mayEdit && (
          <Dropzone
            onDrop={(files) => {
              setRefusal(null);
              const file = files[0];
              if (file) {
                upload.mutate(file, {
                  onSuccess: () => notifications.show({ color: 'green', message: t('models.image_saved'), closeButtonProps: { 'aria-label': t('models.close_notice') } }),
                });
              }
            }}
            onReject={refused}
            accept={IMAGE_TYPES}
            maxSize={MAX_IMAGE_BYTES}
            maxFiles={1}
            multiple={false}
            loading={upload.isPending}
            aria-label={t('models.image_drop')}
          >
            <Text ta="center" py="md">
              {t('models.image_drop')}
            </Text>
            <Text ta="center" size="sm" c="dimmed">
              {t('models.image_rules')}
            </Text>
          </Dropzone>
        )}
        {refusal && <Alert color="red" role="alert" title={refusal} />}
        {upload.isError && <Alert color="red" role="alert" title={upload.error.message} />}
      </Stack>
    </Fieldset>
  );
}

function DeleteModel({ model }: { model: ProductModel }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useDeleteModel(model.code);
  const confirm = () => {
    modals.openConfirmModal({
      title: t('models.delete_title', { code: model.code }),
      children: <Text>{t('models.delete_text')}</Text>,
      labels: { confirm: t('models.delete'), cancel: t('models.cancel') },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': t('models.cancel') },
      onConfirm: () => {
        remove.mutate(undefined, {
          onSuccess: () => {
            notifications.show({ color: 'green', message: t('models.deleted', { code: model.code }), closeButtonProps: { 'aria-label': t('models.close_notice') } });
            void navigate('/models');
          },
        });
      },
    });
  };
  const units = remove.error?.details.units;
  return (
    <Stack>
      {remove.isError && (
        <Alert color="red" role="alert" title={remove.error.message} data-testid="delete-refused">
          {remove.error.code === 'model_in_use' && typeof units === 'number' && t('models.in_use', { units })}
        </Alert>
      )}
      <Group>
        <Button variant="light" color="red" loading={remove.isPending} onClick={confirm}>
          {t('models.delete')}
        </Button>
      </Group>
    </Stack>
  );
}

function ModelForm({ model }: { model: ProductModel | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayEdit = useMayEditCatalog();
  const save = useSaveModel(model?.code ?? null);
  const categories = useModelCategories();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useModelForm(model, () => {
    setSaved(false);
  });
  useLeaveGuard(mayEdit && form.isDirty() && !saved, t('form.leave_unsaved'));
  const [created, setCreated] = useState<string | null>(null);
  useEffect(() => {
    if (created) void navigate(`/models/${encodeURIComponent(created)}`, { replace: true });
  }, [created, navigate]);

  const submit = form.onSubmit((values) => {
    setProblem(null);
    save.mutate(requestOf(values, model), {
      onSuccess: (next) => {
        setSaved(true);
        form.resetDirty();
        notifications.show({ color: 'green', message: t('models.saved', { code: next.code }), closeButtonProps: { 'aria-label': t('models.close_notice') } });
        if (!model) setCreated(next.code); // once the form is no longer "unsaved"
      },
      onError: (error) => {
        if (error.status === 400 && error.fields.length) form.setErrors(formErrorsFrom(error));
        else setProblem(error);
      },
    });
  });

  const disabled = !mayEdit;
  return (
    <Stack>
      <form onSubmit={submit} noValidate>
        <Stack>
          {problem && <Alert color="red" role="alert" title={problem.message} />}
          <Fieldset legend={t('models.identity')} disabled={disabled}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('models.code')}
                required
                readOnly={model !== null}
                description={model ? t('models.code_fixed') : t('models.code_hint')}
                {...form.getInputProps('code')}
              />
              <TextInput label={t('models.name')} required {...form.getInputProps('name')} />
              <TextInput label={t('models.name_en')} description={t('models.optional_en')} {...form.getInputProps('name_en')} />
              <Autocomplete
                label={t('models.category')}
                description={t('models.category_hint')}
                data={categories}
                {...form.getInputProps('category')}
              />
              <TextInput label={t('models.category_en')} description={t('models.optional_en')} {...form.getInputProps('category_en')} />
            </SimpleGrid>
            <Textarea label={t('models.description')} autosize minRows={2} mt="sm" {...form.getInputProps('description')} />
            <Textarea
              label={t('models.description_en')}
              description={t('models.optional_en')}
              autosize
              minRows={2}
              mt="sm"
              {...form.getInputProps('description_en')}
            />
          </Fieldset>
          <Fieldset legend={t('models.terms')} disabled={disabled}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label={t('models.warranty_months')}
                required
                min={1}
                max={240}
                allowDecimal={false}
                {...form.getInputProps('warranty_months')}
              />
              <Select
                label={t('models.start_basis')}
                data={START_BASES.map((basis) => ({ value: basis, label: t(`models.basis.${basis}`) }))}
                allowDeselect={false}
                {...form.getInputProps('warranty_start_basis')}
              />
              <NumberInput
                label={t('models.cap')}
                description={t('models.cap_hint')}
                min={1}
                max={240}
                allowDecimal={false}
                {...form.getInputProps('max_months_from_manufacture')}
              />
              <NumberInput
                label={t('models.deadline')}
                description={t('models.deadline_hint')}
                min={1}
                max={3650}
                allowDecimal={false}
                {...form.getInputProps('activation_deadline_days')}
              />
            </SimpleGrid>
          </Fieldset>
          <ComponentRows form={form} disabled={disabled} />
          <SpecRows form={form} disabled={disabled} />
          {mayEdit && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t(model ? 'models.save' : 'models.create')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      {model && <ClaimSettingsLinks code={model.code} />}
      {model ? <PictureUpload model={model} mayEdit={mayEdit} /> : mayEdit && <Text c="dimmed">{t('models.image_after_create')}</Text>}
      {model && mayEdit && <DeleteModel model={model} />}
    </Stack>
  );
}

/** One product model (`/models/:code`), or a new one (`/models/new`): its texts in Vietnamese
 * and optionally English, its warranty terms, its specs as rows, its picture. Other roles than
 * admin see it read-only. */
export function ModelPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const isNew = code === 'new';
  const model = useModel(isNew ? '' : code);
  return (
    <Stack>
      <Anchor component={Link} to="/models">
        {t('models.back')}
      </Anchor>
      <Title order={1} size="h2">
        {isNew ? t('models.new') : t('models.model_title', { code })}
      </Title>
      {isNew && <ModelForm model={null} />}
      {!isNew && model.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {!isNew && model.isError && <Alert color="red" role="alert" title={model.error.message} />}
      {!isNew && model.data && <ModelForm key={model.data.code} model={model.data} />}
    </Stack>
  );
}
