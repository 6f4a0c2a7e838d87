import { Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { NOTE_MAX } from '../../components/lifecycle';
import { FormEnd, FormPage } from '../../components/RegistryPages';
import { provinceGroups } from '../provinces';
import {
  DEALER_WRITERS,
  useCreateDealer,
  useDealer,
  useDistributors,
  useEditDealer,
  type DealerDetail,
  type DealerFields,
} from './api';

interface Values {
  code: string;
  name: string;
  province: string;
  address: string;
  tax_code: string;
  contact_phone: string;
  parent_id: string;
  note: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;
const TAX_CODE = /^(\d{10}|\d{10}-?\d{3})$/;

function valuesOf(dealer: DealerDetail | undefined): Values {
  return {
    code: dealer?.code ?? '',
    name: dealer?.name ?? '',
    province: dealer?.province ?? '',
    address: dealer?.address ?? '',
    tax_code: dealer?.tax_code ?? '',
    contact_phone: dealer?.contact_phone ?? '',
    parent_id: dealer?.parent_id ?? '',
    note: '',
  };
}

/** The fields as the API takes them: an empty optional field is left out (an edit clears it). */
function fieldsOf(values: Values): DealerFields {
  const body: DealerFields = { name: values.name.trim(), province: values.province };
  if (values.address.trim()) body.address = values.address.trim();
  if (values.tax_code.trim()) body.tax_code = values.tax_code.trim();
  if (values.contact_phone.trim()) body.contact_phone = values.contact_phone.trim();
  if (values.parent_id) body.parent_id = values.parent_id;
  return body;
}

function DealerForm({ dealer }: { dealer?: DealerDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateDealer();
  const edit = useEditDealer(dealer?.dealer_id ?? '');
  const save = dealer ? edit : create;
  const distributors = useDistributors();
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(dealer),
    validate: {
      code: (v) => (dealer || CODE.test(v.trim()) ? null : t('dealers.code_invalid')),
      name: (v) => (v.trim() ? (v.trim().length > 150 ? t('dealers.name_too_long') : null) : t('form.required')),
      province: (v) => (v ? null : t('form.required')),
      tax_code: (v) => (!v.trim() || TAX_CODE.test(v.replace(/\s+/g, '')) ? null : t('dealers.tax_code_invalid')),
      note: (v) => (v.length > NOTE_MAX ? t('dealers.note_too_long', { max: NOTE_MAX }) : null),
    },
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  useEffect(() => {
    if (saved) void navigate(`/dealers/${encodeURIComponent(saved)}`, { replace: true });
  }, [saved, navigate]);

  const submit = form.onSubmit((values) => {
    const onSuccess = (done: DealerDetail) => {
      setSaved(done.dealer_id);
    };
    const onError = (error: ApiError) => {
      if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
    };
    if (dealer) {
      edit.mutate({ ...fieldsOf(values), version: dealer.version }, { onSuccess, onError });
    } else {
      const note = values.note.trim();
      create.mutate({ ...fieldsOf(values), code: values.code.trim(), ...(note ? { note } : {}) }, { onSuccess, onError });
    }
  });
  const parents = (distributors.data ?? []).filter((d) => d.dealer_id !== dealer?.dealer_id && d.status !== 'closed');

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={720}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('dealers.code')}
            description={dealer ? t('dealers.code_fixed') : t('dealers.code_hint')}
            required={!dealer}
            disabled={Boolean(dealer)}
            autoComplete="off"
            {...form.getInputProps('code')}
          />
          <TextInput label={t('dealers.name')} required maxLength={150} {...form.getInputProps('name')} />
          <Select
            label={t('dealers.province')}
            required
            searchable
            data={provinceGroups(t)}
            {...form.getInputProps('province')}
            onChange={(value: string | null) => {
              form.setFieldValue('province', value ?? '');
            }}
          />
          <TextInput label={t('dealers.address')} maxLength={300} {...form.getInputProps('address')} />
          <TextInput label={t('dealers.tax_code')} description={t('dealers.tax_code_hint')} {...form.getInputProps('tax_code')} />
          <TextInput
            label={t('dealers.contact_phone')}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            {...form.getInputProps('contact_phone')}
          />
          <Select
            label={t('dealers.parent')}
            description={t('dealers.parent_hint')}
            clearable
            searchable
            data={parents.map((d) => ({ value: d.dealer_id, label: `${d.code} – ${d.name}` }))}
            {...form.getInputProps('parent_id')}
            value={form.values.parent_id || null}
            onChange={(value: string | null) => {
              form.setFieldValue('parent_id', value ?? '');
            }}
          />
        </SimpleGrid>
        {!dealer && <Textarea label={t('dealers.note')} autosize minRows={2} maxLength={NOTE_MAX} {...form.getInputProps('note')} />}
        <FormEnd ns="dealers" save={save} fields={Object.keys(form.values)} editing={Boolean(dealer)} />
      </Stack>
    </form>
  );
}

/** A new dealer (admin): active at once. */
export function NewDealerPage() {
  const { t } = useTranslation();
  return (
    <FormPage
      writers={DEALER_WRITERS}
      back={{ to: '/dealers', label: t('dealers.back') }}
      title={t('dealers.new_title')}
      intro={t('dealers.new_intro')}
    >
      {() => <DealerForm />}
    </FormPage>
  );
}

/** A dealer's details: saved only if nobody saved it since this page read it. */
export function EditDealerPage() {
  const { t } = useTranslation();
  const { dealerId = '' } = useParams();
  const dealer = useDealer(dealerId);
  return (
    <FormPage
      writers={DEALER_WRITERS}
      back={{ to: `/dealers/${encodeURIComponent(dealerId)}`, label: t('dealers.back_to_dealer') }}
      title={dealer.data ? t('dealers.edit_title', { name: dealer.data.name }) : t('dealers.record')}
      query={dealer}
    >
      {(data) => data && <DealerForm key={data.version} dealer={data} />}
    </FormPage>
  );
}
