import { Alert, Anchor, Button, Group, Loader, Paper, PinInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom } from '../../components/forms';
import { formatDay } from '../format';
import { provinceGroups } from '../provinces';
import { useConfirmActivation, useDealerMe, useStartActivation, type Activated, type Buyer } from './api';

interface Values {
  serial: string;
  name: string;
  phone: string;
  province: string;
}

/** Activate a unit for a buyer at the counter: the unit's serial and the buyer, a code to the
 * buyer's phone, the code typed back. */
function ActivateForBuyer() {
  const { t } = useTranslation();
  const start = useStartActivation();
  const confirm = useConfirmActivation();
  const [sentFor, setSentFor] = useState<{ serial: string; buyer: Buyer } | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<Activated | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { serial: '', name: '', phone: '', province: '' },
    validate: {
      serial: (v) => (v.trim() ? null : t('form.required')),
      name: (v) => (v.trim() ? null : t('form.required')),
      phone: (v) => (v.trim() ? null : t('form.required')),
    },
  });
  const onError = (error: ApiError) => {
    if (error.fields.length) {
      form.setErrors(
        Object.fromEntries(Object.entries(fieldErrorsFrom(error)).map(([field, message]) => [field.replace(/^buyer\./, ''), message])),
      );
    }
  };
  const send = form.onSubmit((values) => {
    const buyer: Buyer = { name: values.name.trim(), phone: values.phone.trim() };
    if (values.province) buyer.province = values.province;
    const request = { serial: values.serial.trim(), buyer };
    setDone(null);
    start.mutate(request, {
      onSuccess: () => {
        setSentFor(request);
        setCode('');
      },
      onError,
    });
  });
  const activate = () => {
    if (!sentFor) return;
    confirm.mutate(
      { ...sentFor, code },
      {
        onSuccess: (activated) => {
          setDone(activated);
          setSentFor(null);
          form.reset();
        },
      },
    );
  };
  const failure = (start.isError && !start.error.fields.length ? start.error : null) ?? (confirm.isError ? confirm.error : null);

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('dealer_home.activate_title')}
        </Title>
        <Text size="sm">{t('dealer_home.activate_intro')}</Text>
        <form onSubmit={send} noValidate>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('dealer_home.serial')} required autoComplete="off" {...form.getInputProps('serial')} />
              <TextInput label={t('dealer_home.buyer_name')} required autoComplete="off" {...form.getInputProps('name')} />
              <TextInput
                label={t('dealer_home.buyer_phone')}
                required
                type="tel"
                inputMode="tel"
                autoComplete="off"
                {...form.getInputProps('phone')}
              />
              <Select
                label={t('dealer_home.buyer_province')}
                clearable
                searchable
                data={provinceGroups(t)}
                {...form.getInputProps('province')}
                value={form.values.province || null}
                onChange={(value: string | null) => {
                  form.setFieldValue('province', value ?? '');
                }}
              />
            </SimpleGrid>
            <div>
              <Button type="submit" variant={sentFor ? 'default' : 'filled'} loading={start.isPending}>
                {sentFor ? t('dealer_home.send_again') : t('dealer_home.send_code')}
              </Button>
            </div>
          </Stack>
        </form>
        {sentFor && (
          <Stack gap="xs">
            <Text size="sm" role="status">
              {t('dealer_home.code_sent', { phone: sentFor.buyer.phone })}
            </Text>
            <Group align="flex-end" gap="sm">
              <PinInput
                length={6}
                type="number"
                oneTimeCode
                value={code}
                onChange={setCode}
                aria-label={t('dealer_home.code')}
                getInputProps={(index) => ({ 'aria-label': t('dealer_home.code_digit', { n: index + 1 }) })}
              />
              <Button onClick={activate} disabled={code.length !== 6} loading={confirm.isPending}>
                {t('dealer_home.activate')}
              </Button>
            </Group>
          </Stack>
        )}
        {failure && <Alert color="red" role="alert" title={failure.message} />}
        {done && (
          <Alert color="green" role="status" title={t('dealer_home.activated', { serial: done.serial })}>
            {t('dealer_home.activated_detail', {
              name: done.customer_name,
              phone: done.customer_phone,
              end: formatDay(done.warranty_end),
            })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** A dealer user's home: its dealer, links to its units, activations, shipments and funnel, and
 * activating a unit for a buyer at the counter. */
export function DealerHomePage() {
  const { t } = useTranslation();
  const me = useDealerMe();
  return (
    <Stack>
      <Title order={1} size="h2">
        {me.data ? `${me.data.dealer.code} · ${me.data.dealer.name}` : t('dealer_home.title')}
      </Title>
      {me.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {me.isError && <Alert color="red" role="alert" title={me.error.message} />}
      {me.data && (
        <Text size="sm">{t('dealer_home.signed_in_as', { username: me.data.username, province: me.data.dealer.province })}</Text>
      )}
      <Group gap="md">
        <Anchor component={Link} to="/dealer/units">
          {t('dealer_home.units')}
        </Anchor>
        <Anchor component={Link} to="/dealer/activations">
          {t('dealer_home.activations')}
        </Anchor>
        <Anchor component={Link} to="/dealer/shipments">
          {t('dealer_home.shipments')}
        </Anchor>
        <Anchor component={Link} to="/dealer/funnel">
          {t('nav.dealer_funnel')}
        </Anchor>
      </Group>
      <ActivateForBuyer />
    </Stack>
  );
}
