import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { provinceGroups } from '../provinces';
import { NOTE_MAX, PARTNER_DECIDERS, useCreatePartner, type Bank, type NewPartner } from './api';

/** As a bank prints a holder's name: upper case, no Vietnamese marks (Đ → D). */
export function bankPrinted(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The banks of `/partner/banks` (a public list any origin may read). Should it fail to load,
 * the form asks for the bank's BIN instead (the API checks it). */
function useBanks() {
  return useQuery<Bank[], ApiError>({
    queryKey: ['partner-banks'],
    queryFn: async ({ signal }) => (await api<{ banks: Bank[] }>('/partner/banks', { signal })).banks,
    staleTime: 3600_000,
    retry: false,
  });
}

interface Values {
  phone: string;
  name: string;
  citizen_id: string;
  province: string;
  bank_bin: string;
  account_number: string;
  account_holder: string;
  tax_code: string;
  status: 'pending' | 'approved';
  note: string;
  consent: boolean;
}

/** A partner created by staff (admin, director): the sign-up's fields, the partner's consent
 * given on paper or in person, pending (to review) or approved at once, with a note. */
export function NewPartnerPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const mayCreate = session.status === 'signed_in' && session.session.roles.some((r) => PARTNER_DECIDERS.includes(r));
  const banks = useBanks();
  const create = useCreatePartner();
  const [saved, setSaved] = useState<string | null>(null); // the new partner's id
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      phone: '',
      name: '',
      citizen_id: '',
      province: '',
      bank_bin: '',
      account_number: '',
      account_holder: '',
      tax_code: '',
      status: 'pending',
      note: '',
      consent: false,
    },
    validate: {
      phone: (v) => (v.trim() ? null : t('form.required')),
      name: (v) => (v.trim() ? (v.trim().length > 100 ? t('partners.name_too_long') : null) : t('form.required')),
      citizen_id: (v) => (/^(\d{9}|\d{12})$/.test(v.replace(/\s+/g, '')) ? null : t('partners.citizen_id_invalid')),
      province: (v) => (v ? null : t('form.required')),
      bank_bin: (v) => (v.trim() ? null : t('form.required')),
      account_number: (v) => (/^\d{6,19}$/.test(v.replace(/[\s.-]+/g, '')) ? null : t('partners.account_number_invalid')),
      account_holder: (v) => {
        const printed = bankPrinted(v);
        if (!printed) return t('form.required');
        if (printed.length > 50) return t('partners.account_holder_too_long');
        return /^[A-Z ]+$/.test(printed) ? null : t('partners.account_holder_invalid');
      },
      tax_code: (v) => (!v.trim() || /^(\d{10}|\d{10}-\d{3})$/.test(v.trim()) ? null : t('partners.tax_code_invalid')),
      note: (v) => (v.length > NOTE_MAX ? t('partners.note_too_long', { max: NOTE_MAX }) : null),
      consent: (v) => (v ? null : t('partners.consent_required')),
    },
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  useEffect(() => {
    // once the guard is off (the render after saving), to the new partner's page
    if (saved) void navigate(`/partners/${encodeURIComponent(saved)}`, { replace: true });
  }, [saved, navigate]);

  if (!mayCreate) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('page.forbidden')}
        </Title>
        <Alert color="yellow" role="status" title={t('page.forbidden_detail')} />
      </Stack>
    );
  }

  const submit = form.onSubmit((values) => {
    const body: NewPartner = {
      phone: values.phone.trim(),
      name: values.name.trim(),
      citizen_id: values.citizen_id.replace(/\s+/g, ''),
      province: values.province,
      bank_bin: values.bank_bin.trim(),
      account_number: values.account_number.trim(),
      account_holder: bankPrinted(values.account_holder),
      consent: true,
      status: values.status,
    };
    if (values.tax_code.trim()) body.tax_code = values.tax_code.trim();
    if (values.note.trim()) body.note = values.note.trim();
    create.mutate(body, {
      onSuccess: (partner) => {
        setSaved(partner.partner_id);
      },
      onError: (error) => {
        if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
      },
    });
  });
  const shownFields = new Set(Object.keys(form.values));
  const otherError = create.isError && !create.error.fields.some((f) => shownFields.has(f.field));
  const printed = bankPrinted(form.values.account_holder);

  return (
    <Stack>
      <Anchor component={Link} to="/partners">
        {t('partners.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('partners.new_title')}
      </Title>
      <Text size="sm">{t('partners.new_intro')}</Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={720}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('partners.phone')} required type="tel" inputMode="tel" autoComplete="off" {...form.getInputProps('phone')} />
            <TextInput label={t('partners.name')} required maxLength={100} {...form.getInputProps('name')} />
            <TextInput
              label={t('partners.citizen_id')}
              description={t('partners.citizen_id_hint')}
              required
              inputMode="numeric"
              {...form.getInputProps('citizen_id')}
            />
            <Select
              label={t('partners.province')}
              required
              searchable
              data={provinceGroups(t)}
              {...form.getInputProps('province')}
              onChange={(value: string | null) => {
                form.setFieldValue('province', value ?? '');
              }}
            />
            {banks.data ? (
              <Select
                label={t('partners.bank')}
                required
                searchable
                data={banks.data.map((b) => ({ value: b.bin, label: `${b.short_name} – ${b.name}` }))}
                {...form.getInputProps('bank_bin')}
                onChange={(value: string | null) => {
                  form.setFieldValue('bank_bin', value ?? '');
                }}
              />
            ) : (
              <TextInput
                label={t('partners.bank_bin')}
                description={t('partners.bank_bin_hint')}
                required
                inputMode="numeric"
                {...form.getInputProps('bank_bin')}
              />
            )}
            <TextInput label={t('partners.account_number')} required inputMode="numeric" {...form.getInputProps('account_number')} />
            <TextInput
              label={t('partners.account_holder')}
              description={t('partners.holder_printed', { name: printed || '—' })}
              required
              {...form.getInputProps('account_holder')}
            />
            <TextInput
              label={t('partners.tax_code')}
              description={t('partners.tax_code_hint')}
              {...form.getInputProps('tax_code')}
            />
          </SimpleGrid>
          <Radio.Group label={t('partners.initial_status')} {...form.getInputProps('status')}>
            <Stack gap="xs" mt="xs">
              <Radio value="pending" label={t('partners.status.pending')} />
              <Radio value="approved" label={t('partners.status.approved')} />
            </Stack>
          </Radio.Group>
          <Textarea label={t('partners.note')} autosize minRows={2} maxLength={NOTE_MAX} {...form.getInputProps('note')} />
          <Checkbox label={t('partners.consent_on_paper')} {...form.getInputProps('consent', { type: 'checkbox' })} />
          {otherError && <Alert color="red" role="alert" title={create.error.message} />}
          <div>
            <Button type="submit" loading={create.isPending}>
              {t('partners.create')}
            </Button>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
