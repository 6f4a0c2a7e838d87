import { Alert, Anchor, Button, Loader, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { NOTE_MAX } from '../../components/lifecycle';
import { CITIES, PROVINCES } from '../partners/NewPartnerPage';
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
  const shownFields = new Set(Object.keys(form.values));
  const otherError = save.isError && !save.error.fields.some((f) => shownFields.has(f.field));
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
            data={[
              { group: t('partners.cities'), items: CITIES },
              { group: t('partners.provinces'), items: PROVINCES },
            ]}
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
        {otherError && (
          <Alert color="red" role="alert" title={save.error.status === 409 ? t('dealers.conflict') : save.error.message}>
            {save.error.status === 409 ? save.error.message : null}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={save.isPending}>
            {dealer ? t('dealers.save') : t('dealers.create')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function Forbidden() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('page.forbidden')}
      </Title>
      <Alert color="yellow" role="status" title={t('page.forbidden_detail')} />
    </Stack>
  );
}

function useMayWrite(): boolean {
  const session = useSession();
  return session.status === 'signed_in' && session.session.roles.some((r) => DEALER_WRITERS.includes(r));
}

/** A new dealer (admin): active at once. */
export function NewDealerPage() {
  const { t } = useTranslation();
  if (!useMayWrite()) return <Forbidden />;
  return (
    <Stack>
      <Anchor component={Link} to="/dealers">
        {t('dealers.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('dealers.new_title')}
      </Title>
      <Text size="sm">{t('dealers.new_intro')}</Text>
      <DealerForm />
    </Stack>
  );
}

/** A dealer's details (admin): saved only if nobody saved it since this page read it. */
export function EditDealerPage() {
  const { t } = useTranslation();
  const { dealerId = '' } = useParams();
  const dealer = useDealer(dealerId);
  const mayWrite = useMayWrite();
  if (!mayWrite) return <Forbidden />;
  return (
    <Stack>
      <Anchor component={Link} to={`/dealers/${encodeURIComponent(dealerId)}`}>
        {t('dealers.back_to_dealer')}
      </Anchor>
      <Title order={1} size="h2">
        {dealer.data ? t('dealers.edit_title', { name: dealer.data.name }) : t('dealers.dealer')}
      </Title>
      {dealer.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {dealer.isError && <Alert color="red" role="alert" title={dealer.error.message} />}
      {dealer.data && <DealerForm key={dealer.data.version} dealer={dealer.data} />}
    </Stack>
  );
}
