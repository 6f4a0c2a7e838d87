import {
  Alert,
  Button,
  Checkbox,
  ColorInput,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import {
  IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  SECTIONS,
  useBrand,
  useSaveBrand,
  useUploadLogo,
  type Brand,
  type BrandRequest,
  type Section,
} from './api';
import { AA, COLOUR, contrast } from '../../components/contrast';
import { PortalPreview } from './PortalPreview';

interface BrandValues {
  name: string;
  short_name: string;
  serial_prefix: string;
  hotline: string;
  logo_url: string;
  primary: string;
  on_primary: string;
  accent: string;
  email: string;
  website: string;
  sections: Section[];
  confirm_phone: boolean;
}

// a few colours to start from (each reads white text at WCAG AA); any #rrggbb may be typed
const SWATCHES = ['#0b57d0', '#0842a0', '#146c2e', '#7a1f5c', '#b3261e', '#8a4b00', '#1b1c1f', '#ffffff'];
const PREFIX = /^[A-Z]{2,5}$/;
const HOTLINE = /^(\+?[0-9][0-9 .-]{2,18}[0-9])?$/;
const EMAIL = /^([^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)?$/;
const PORTAL_URL = /^(https:\/\/[^\s<>"']+|\/[^\s<>"']*)?$/;

function valuesOf(brand: Brand): BrandValues {
  const { theme } = brand;
  return {
    name: brand.name,
    short_name: theme.short_name,
    serial_prefix: brand.serial_prefix,
    hotline: theme.hotline,
    logo_url: theme.logo_url,
    primary: theme.colors.primary,
    on_primary: theme.colors.on_primary,
    accent: theme.colors.accent,
    email: theme.email,
    website: theme.website,
    sections: theme.sections,
    confirm_phone: brand.confirm_phone,
  };
}

function requestOf(values: BrandValues): BrandRequest {
  return {
    name: values.name.trim(),
    serial_prefix: values.serial_prefix.trim(),
    confirm_phone: values.confirm_phone,
    theme: {
      short_name: values.short_name.trim(),
      logo_url: values.logo_url.trim(),
      primary: values.primary.toLowerCase(),
      on_primary: values.on_primary.toLowerCase(),
      accent: values.accent.toLowerCase(),
      email: values.email.trim(),
      website: values.website.trim(),
      sections: values.sections,
      hotline: values.hotline.trim(),
    },
  };
}

// the API's field names (`theme.primary`) → this form's (`primary`)
function formErrorsFrom(error: ApiError): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fieldErrorsFrom(error)).map(([field, message]) => [field.replace(/^theme\./, ''), message]),
  );
}

/** A logo file instead of an address: uploaded and re-encoded, then its path goes in the
 * form's logo field (stored by the next save, shown at once in the preview). */
function LogoUpload({ onUploaded }: { onUploaded: (path: string) => void }) {
  const { t } = useTranslation();
  const upload = useUploadLogo();
  const [refusal, setRefusal] = useState<string | null>(null);
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={(files) => {
          setRefusal(null);
          const file = files[0];
          if (file) {
            upload.mutate(file, {
              onSuccess: (logo) => {
                onUploaded(logo.logo_url);
              },
            });
          }
        }}
        onReject={(rejections) => {
          const code = rejections[0]?.errors[0]?.code;
          setRefusal(t(code === 'file-too-large' ? 'models.image_too_large' : 'models.image_wrong_type'));
        }}
        accept={IMAGE_TYPES}
        maxSize={MAX_IMAGE_BYTES}
        maxFiles={1}
        multiple={false}
        loading={upload.isPending}
        aria-label={t('brand.logo_drop')}
        p="sm"
      >
        <Text ta="center" size="sm">
          {t('brand.logo_drop')}
        </Text>
      </Dropzone>
      {refusal && <Alert color="red" role="alert" title={refusal} />}
      {upload.isError && <Alert color="red" role="alert" title={upload.error.message} />}
    </Stack>
  );
}

function BrandForm({ brand }: { brand: Brand }) {
  const { t } = useTranslation();
  const save = useSaveBrand();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<BrandValues>({
    initialValues: valuesOf(brand),
    validate: {
      name: (v) => (!v.trim() ? t('form.required') : v.trim().length > 100 ? t('brand.too_long', { max: 100 }) : null),
      short_name: (v) => (v.trim().length > 16 ? t('brand.too_long', { max: 16 }) : null),
      serial_prefix: (v) => (PREFIX.test(v.trim()) ? null : t('brand.prefix_invalid')),
      hotline: (v) => (HOTLINE.test(v.trim()) ? null : t('brand.hotline_invalid')),
      logo_url: (v) => (PORTAL_URL.test(v.trim()) ? null : t('brand.url_invalid')),
      website: (v) => (PORTAL_URL.test(v.trim()) ? null : t('brand.url_invalid')),
      email: (v) => (EMAIL.test(v.trim()) ? null : t('brand.email_invalid')),
      primary: (v) => (COLOUR.test(v) ? null : t('brand.colour_invalid')),
      on_primary: (v) => (COLOUR.test(v) ? null : t('brand.colour_invalid')),
      accent: (v) => (COLOUR.test(v) ? null : t('brand.colour_invalid')),
      sections: (v) => (v.length ? null : t('brand.sections_required')),
    },
    onValuesChange: () => {
      setSaved(false);
    },
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  const preview = useMemo(() => requestOf(form.values), [form.values]);
  const ratio = contrast(form.values.primary, form.values.on_primary);

  const submit = form.onSubmit((values) => {
    setProblem(null);
    save.mutate(requestOf(values), {
      onSuccess: (next) => {
        form.setInitialValues(valuesOf(next));
        form.setValues(valuesOf(next));
        form.resetDirty(valuesOf(next));
        setSaved(true);
        notifications.show({
          color: 'green',
          message: t('brand.saved'),
          closeButtonProps: { 'aria-label': t('models.close_notice') },
        });
      },
      onError: (error) => {
        if (error.status === 400 && error.fields.length) form.setErrors(formErrorsFrom(error));
        else setProblem(error);
      },
    });
  });

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <div>
        <form onSubmit={submit} noValidate>
          <Stack>
            {problem && <Alert color="red" role="alert" title={problem.message} />}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('brand.name')} required {...form.getInputProps('name')} />
              <TextInput
                label={t('brand.short_name')}
                description={t('brand.short_name_hint')}
                {...form.getInputProps('short_name')}
              />
              <TextInput
                label={t('brand.hotline')}
                description={t('brand.hotline_hint')}
                type="tel"
                inputMode="tel"
                {...form.getInputProps('hotline')}
              />
              <TextInput label={t('brand.email')} type="email" {...form.getInputProps('email')} />
              <TextInput label={t('brand.website')} placeholder="https://" {...form.getInputProps('website')} />
              <TextInput
                label={t('brand.logo_url')}
                description={t('brand.logo_url_hint')}
                placeholder="https://"
                {...form.getInputProps('logo_url')}
              />
            </SimpleGrid>
            <LogoUpload
              onUploaded={(path) => {
                form.setFieldValue('logo_url', path);
              }}
            />
            <Paper withBorder p="sm">
              <Stack gap="xs">
                <Text fw={600} component="h2" size="md" m={0}>
                  {t('brand.colours')}
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <ColorInput
                    label={t('brand.primary')}
                    format="hex"
                    withEyeDropper={false}
                    withPicker={false}
                    swatches={SWATCHES}
                    {...form.getInputProps('primary')}
                  />
                  <ColorInput
                    label={t('brand.on_primary')}
                    format="hex"
                    withEyeDropper={false}
                    withPicker={false}
                    swatches={SWATCHES}
                    {...form.getInputProps('on_primary')}
                  />
                  <ColorInput
                    label={t('brand.accent')}
                    format="hex"
                    withEyeDropper={false}
                    withPicker={false}
                    swatches={SWATCHES}
                    {...form.getInputProps('accent')}
                  />
                </SimpleGrid>
                {ratio !== null && ratio < AA && (
                  <Alert color="yellow" role="status" data-testid="contrast-warning" title={t('brand.contrast_poor', { ratio: ratio.toFixed(1) })}>
                    {t('brand.contrast_poor_detail')}
                  </Alert>
                )}
              </Stack>
            </Paper>
            <Checkbox.Group label={t('brand.sections')} {...form.getInputProps('sections')}>
              <Group mt={6}>
                {SECTIONS.map((section) => (
                  <Checkbox key={section} value={section} label={t(`brand.section.${section}`)} />
                ))}
              </Group>
            </Checkbox.Group>
            <Paper withBorder p="sm">
              <Stack gap="xs">
                <TextInput
                  label={t('brand.serial_prefix')}
                  readOnly={brand.serial_prefix_locked}
                  description={
                    brand.serial_prefix_locked
                      ? t('brand.serial_prefix_locked', { serials: brand.serials_issued })
                      : t('brand.serial_prefix_hint')
                  }
                  data-testid="serial-prefix"
                  {...form.getInputProps('serial_prefix')}
                  onChange={(event) => {
                    form.setFieldValue('serial_prefix', event.currentTarget.value.toUpperCase());
                  }}
                />
              </Stack>
            </Paper>
            <Switch
              label={t('brand.confirm_phone')}
              description={t('brand.confirm_phone_hint')}
              {...form.getInputProps('confirm_phone', { type: 'checkbox' })}
            />
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t('brand.save')}
              </Button>
              {brand.updated_by && (
                <Text size="sm" c="dimmed">
                  {t('brand.updated_by', { name: brand.updated_by })}
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      </div>
      <div>
        <PortalPreview portalUrl={brand.portal_url} brand={preview} />
      </div>
    </SimpleGrid>
  );
}

/** The brand and its portal: name, hotline, look and sections beside a live preview of the
 * portal's home page; the serial prefix, read-only once serials exist. Admins only (menu). */
export function BrandPage() {
  const { t } = useTranslation();
  const brand = useBrand();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('brand.title')}
      </Title>
      {brand.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {brand.isError && <Alert color="red" role="alert" title={brand.error.message} />}
      {brand.data && <BrandForm brand={brand.data} />}
    </Stack>
  );
}
