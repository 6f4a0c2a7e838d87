import { Alert, Anchor, Button, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { CITIES, PROVINCES } from '../provinces';
import { CLAIM_TYPES, DESK, useFileClaim, type ClaimType } from './api';

const DESCRIPTION_MAX = 2000;

interface Values {
  claim_type: ClaimType;
  serial: string;
  name: string;
  phone: string;
  address: string;
  province: string;
  language: string;
  description: string;
  preferred_time: string;
}

/** A request the desk files for a caller (a phone call, the counter): the unit, the customer,
 * what is wrong. The verdict is decided at once; the request's page opens. */
export function NewClaimPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const file = useFileClaim();
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      claim_type: 'repair',
      serial: '',
      name: '',
      phone: '',
      address: '',
      province: '',
      language: 'vi',
      description: '',
      preferred_time: '',
    },
    validate: {
      serial: (v) => (v.trim() ? null : t('form.required')),
      name: (v) => (v.trim() ? null : t('form.required')),
      phone: (v) => (v.replace(/\D/g, '').length >= 9 ? null : t('claims.phone_invalid')),
      description: (v) => (v.trim() ? (v.length > DESCRIPTION_MAX ? t('claims.description_too_long', { max: DESCRIPTION_MAX }) : null) : t('form.required')),
    },
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  useEffect(() => {
    if (saved) void navigate(`/claims/${encodeURIComponent(saved)}`, { replace: true });
  }, [saved, navigate]);
  const mayFile = session.status === 'signed_in' && session.session.roles.some((r) => DESK.includes(r));
  if (!mayFile) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('page.forbidden')}
        </Title>
        <Alert color="yellow" role="status" title={t('page.forbidden_detail')} />
      </Stack>
    );
  }
  const submit = form.onSubmit((v) => {
    file.mutate(
      {
        claim_type: v.claim_type,
        serial: v.serial.trim().toUpperCase(),
        customer: { name: v.name.trim(), phone: v.phone.trim(), address: v.address.trim(), province: v.province, language: v.language },
        description: v.description.trim(),
        preferred_time: v.preferred_time.trim(),
      },
      {
        onSuccess: (found) => {
          setSaved(found.claim.claim_id);
        },
        onError: (error) => {
          if (error.fields.length) {
            // the API names nested fields `customer.name`: the form's are flat
            const errors = fieldErrorsFrom(error);
            form.setErrors(Object.fromEntries(Object.entries(errors).map(([k, m]) => [k.replace(/^customer\./, ''), m])));
          }
        },
      },
    );
  });
  const shown = new Set(Object.keys(form.values));
  const otherError = file.isError && !file.error.fields.some((f) => shown.has(f.field.replace(/^customer\./, '')));
  return (
    <Stack>
      <Anchor component={Link} to="/claims">
        {t('claims.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('claims.new_title')}
      </Title>
      <Text size="sm">{t('claims.new_intro')}</Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={720}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('claims.type_label')}
              required
              allowDeselect={false}
              data={CLAIM_TYPES.map((c) => ({ value: c, label: t(`claims.type.${c}`) }))}
              {...form.getInputProps('claim_type')}
            />
            <TextInput label={t('claims.serial')} required maxLength={40} autoComplete="off" {...form.getInputProps('serial')} />
            <TextInput label={t('claims.customer_name')} required maxLength={100} {...form.getInputProps('name')} />
            <TextInput label={t('claims.customer_phone')} required type="tel" inputMode="tel" autoComplete="off" {...form.getInputProps('phone')} />
            <Select
              label={t('claims.province')}
              searchable
              clearable
              data={[
                { group: t('partners.cities'), items: CITIES },
                { group: t('partners.provinces'), items: PROVINCES },
              ]}
              {...form.getInputProps('province')}
              value={form.values.province || null}
              onChange={(value: string | null) => {
                form.setFieldValue('province', value ?? '');
              }}
            />
            <TextInput label={t('claims.address')} maxLength={300} {...form.getInputProps('address')} />
            <Select
              label={t('claims.customer_language')}
              allowDeselect={false}
              data={[
                { value: 'vi', label: 'Tiếng Việt' },
                { value: 'en', label: 'English' },
              ]}
              {...form.getInputProps('language')}
            />
            <TextInput label={t('claims.preferred_time')} maxLength={200} {...form.getInputProps('preferred_time')} />
          </SimpleGrid>
          <Textarea label={t('claims.description')} required autosize minRows={3} maxLength={DESCRIPTION_MAX} {...form.getInputProps('description')} />
          {otherError && <Alert color="red" role="alert" title={file.error.message} />}
          <div>
            <Button type="submit" loading={file.isPending}>
              {t('claims.file')}
            </Button>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
