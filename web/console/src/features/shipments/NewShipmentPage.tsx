import { Alert, Anchor, Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { DayInput } from '../../components/DayInput';
import { fieldErrorsFrom } from '../../components/forms';
import { useCreateShipment } from './api';

function today(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  return `${String(now.getFullYear())}-${month}-${String(now.getDate()).padStart(2, '0')}`;
}

/** A new draft: the dealer by its code, the ship date, the delivery note's number; then the
 * ship-out screen. */
export function NewShipmentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateShipment();
  const form = useForm({
    mode: 'controlled',
    initialValues: { dealer_code: '', ship_date: today(), document_number: '' },
    validate: {
      dealer_code: (value) => (value.trim() ? null : t('form.required')),
      ship_date: (value) => (value ? null : t('form.required')),
      document_number: (value) => (value.trim() ? null : t('form.required')),
    },
  });
  const submit = form.onSubmit((values) => {
    create.mutate(
      { dealer_code: values.dealer_code.trim(), ship_date: values.ship_date, document_number: values.document_number.trim() },
      {
        onSuccess: (shipment) => {
          void navigate(`/shipments/${encodeURIComponent(shipment.shipment_id)}`);
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  return (
    <Stack maw={520}>
      <Anchor component={Link} to="/shipments">
        {t('shipments.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('shipments.new_title')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('shipments.dealer_code')} withAsterisk autoComplete="off" {...form.getInputProps('dealer_code')} />
          <DayInput
            label={t('shipments.ship_date')}
            value={form.values.ship_date}
            error={form.errors.ship_date}
            onChange={(day) => {
              form.setFieldValue('ship_date', day);
            }}
          />
          <TextInput label={t('shipments.document_number')} withAsterisk maxLength={40} {...form.getInputProps('document_number')} />
          {create.isError && !create.error.fields.length && <Alert color="red" role="alert" title={create.error.message} />}
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('shipments.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
