import { Checkbox, MultiSelect, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { NOTE_MAX } from '../../components/lifecycle';
import { FormEnd, FormPage } from '../../components/RegistryPages';
import { provinceGroups } from '../provinces';
import { CENTER_KINDS, CENTER_WRITERS, useCenter, useSaveCenter, type CenterDetail, type CenterFields, type CenterKind } from './api';

interface Values {
  code: string;
  kind: CenterKind;
  name: string;
  tax_code: string;
  provinces: string[];
  address: string;
  phone: string;
  hours: string;
  listed: boolean;
  note: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;
const TAX_CODE = /^(\d{10}|\d{10}-?\d{3})$/;
const PHONE = /^\+?[0-9][0-9 .()-]{6,22}$/;

function valuesOf(center: CenterDetail | undefined): Values {
  return {
    code: center?.code ?? '',
    kind: center?.kind ?? 'partner',
    name: center?.name ?? '',
    tax_code: center?.tax_code ?? '',
    provinces: center?.provinces ?? [],
    address: center?.address ?? '',
    phone: center?.phone ?? '',
    hours: center?.hours ?? '',
    listed: center?.listed ?? true,
    note: '',
  };
}

/** The fields as the API takes them: an empty optional field is left out (an edit clears it);
 * an internal centre has no tax code. */
function fieldsOf(values: Values): CenterFields {
  const body: CenterFields = { name: values.name.trim(), provinces: values.provinces, listed: values.listed };
  for (const name of ['address', 'phone', 'hours'] as const) {
    if (values[name].trim()) body[name] = values[name].trim();
  }
  if (values.kind === 'partner' && values.tax_code.trim()) body.tax_code = values.tax_code.trim();
  return body;
}

function useValidation(center: CenterDetail | undefined) {
  const { t } = useTranslation();
  return {
    code: (v: string) => (center || CODE.test(v.trim()) ? null : t('centers.code_invalid')),
    name: (v: string) => (v.trim() ? (v.trim().length > 150 ? t('centers.name_too_long') : null) : t('form.required')),
    provinces: (v: string[]) => (v.length ? null : t('centers.provinces_required')),
    tax_code: (v: string, values: Values) => {
      if (values.kind !== 'partner') return null;
      if (!v.trim()) return t('centers.tax_code_required');
      return TAX_CODE.test(v.replace(/\s+/g, '')) ? null : t('centers.tax_code_invalid');
    },
    phone: (v: string) => (!v.trim() || PHONE.test(v.trim()) ? null : t('centers.phone_invalid')),
    hours: (v: string) => (v.length > 200 ? t('centers.hours_too_long') : null),
    note: (v: string) => (v.length > NOTE_MAX ? t('centers.note_too_long', { max: NOTE_MAX }) : null),
  };
}

function CenterForm({ center }: { center?: CenterDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveCenter(center?.center_id ?? null);
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<Values>({ mode: 'controlled', initialValues: valuesOf(center), validate: useValidation(center) });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  useEffect(() => {
    if (saved) void navigate(`/service-centers/${encodeURIComponent(saved)}`, { replace: true });
  }, [saved, navigate]);

  const submit = form.onSubmit((values) => {
    const note = values.note.trim();
    const body = center
      ? { ...fieldsOf(values), version: center.version }
      : { ...fieldsOf(values), code: values.code.trim(), kind: values.kind, ...(note ? { note } : {}) };
    save.mutate(body, {
      onSuccess: (done) => {
        setSaved(done.center_id);
      },
      onError: (error: ApiError) => {
        if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
      },
    });
  });
  const partner = form.values.kind === 'partner';

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={720}>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="center-kind">
            {t('centers.kind')}
          </Text>
          <SegmentedControl
            aria-labelledby="center-kind"
            disabled={Boolean(center)}
            data={CENTER_KINDS.map((kind) => ({ value: kind, label: t(`centers.kind.${kind}`) }))}
            {...form.getInputProps('kind')}
          />
          <Text size="xs" c="dimmed">
            {center ? t('centers.kind_fixed') : t(`centers.kind_hint.${form.values.kind}`)}
          </Text>
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('centers.code')}
            description={center ? t('centers.code_fixed') : t('centers.code_hint')}
            required={!center}
            disabled={Boolean(center)}
            autoComplete="off"
            {...form.getInputProps('code')}
          />
          <TextInput label={t('centers.name')} required maxLength={150} {...form.getInputProps('name')} />
          {partner && (
            <TextInput
              label={t('centers.tax_code')}
              description={t('centers.tax_code_hint')}
              required
              autoComplete="off"
              {...form.getInputProps('tax_code')}
            />
          )}
          <TextInput
            label={t('centers.phone')}
            description={t('centers.phone_hint')}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            {...form.getInputProps('phone')}
          />
        </SimpleGrid>
        <MultiSelect
          label={t('centers.provinces')}
          description={t('centers.provinces_hint')}
          required
          searchable
          hidePickedOptions
          data={provinceGroups(t)}
          {...form.getInputProps('provinces')}
        />
        <TextInput label={t('centers.address')} maxLength={300} {...form.getInputProps('address')} />
        <TextInput
          label={t('centers.hours')}
          description={t('centers.hours_hint')}
          maxLength={200}
          {...form.getInputProps('hours')}
        />
        <Checkbox
          label={t('centers.listed')}
          description={t('centers.listed_hint')}
          {...form.getInputProps('listed', { type: 'checkbox' })}
        />
        {!center && <Textarea label={t('centers.note')} autosize minRows={2} maxLength={NOTE_MAX} {...form.getInputProps('note')} />}
        <FormEnd ns="centers" save={save} fields={Object.keys(form.values)} editing={Boolean(center)} />
      </Stack>
    </form>
  );
}

/** A new center (admin, cs): active at once. */
export function NewCenterPage() {
  const { t } = useTranslation();
  return (
    <FormPage
      writers={CENTER_WRITERS}
      back={{ to: '/service-centers', label: t('centers.back') }}
      title={t('centers.new_title')}
      intro={t('centers.new_intro')}
    >
      {() => <CenterForm />}
    </FormPage>
  );
}

/** A center's details: saved only if nobody saved it since this page read it. */
export function EditCenterPage() {
  const { t } = useTranslation();
  const { centerId = '' } = useParams();
  const center = useCenter(centerId);
  return (
    <FormPage
      writers={CENTER_WRITERS}
      back={{ to: `/service-centers/${encodeURIComponent(centerId)}`, label: t('centers.back_to_center') }}
      title={center.data ? t('centers.edit_title', { name: center.data.name }) : t('centers.record')}
      query={center}
    >
      {(data) => data && <CenterForm key={data.version} center={data} />}
    </FormPage>
  );
}
