import { Alert, Anchor, Button, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useModelCategories, useModels } from '../catalog/api';
import { formatDateTime } from '../format';
import { useClaimForms, type ClaimFormSummary } from './api';

export const formLink = (scope: 'model' | 'category', target: string) =>
  `/claim-settings/form?${new URLSearchParams({ [scope]: target }).toString()}`;

function ConfiguredForms({ forms }: { forms: ClaimFormSummary[] }) {
  const { t } = useTranslation();
  if (forms.length === 0) return <Text c="dimmed">{t('claim_settings.forms_empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped data-testid="forms-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('claim_settings.for')}</Table.Th>
            <Table.Th>{t('claim_settings.fields')}</Table.Th>
            <Table.Th>{t('claim_settings.saved')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {forms.map((form) => (
            <Table.Tr key={`${form.scope}-${form.target}`}>
              <Table.Td>
                <Anchor component={Link} to={formLink(form.scope, form.target)}>
                  {t(`claim_settings.scope_${form.scope}`, { target: form.target })}
                </Anchor>
              </Table.Td>
              <Table.Td>{form.field_count}</Table.Td>
              <Table.Td>
                {t('claim_settings.saved_by', { who: form.updated_by, when: formatDateTime(form.updated_at) })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The service requests' settings (admin, customer service): which forms exist, a model's or a
 * category's form to open, a model's self-help to open. */
export function ClaimSettingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const forms = useClaimForms();
  const models = useModels();
  const categories = useModelCategories();
  const [model, setModel] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [helpModel, setHelpModel] = useState<string | null>(null);
  const modelOptions = (models.data?.records ?? []).map((m) => ({ value: m.code, label: `${m.code} · ${m.name}` }));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('claim_settings.title')}
      </Title>
      <Paper withBorder p="md">
        <Stack>
          <Title order={2} size="h3">
            {t('claim_settings.forms')}
          </Title>
          <Text c="dimmed">{t('claim_settings.forms_hint')}</Text>
          {forms.isPending && <Loader role="status" aria-label={t('state.loading')} />}
          {forms.isError && <Alert color="red" role="alert" title={forms.error.message} />}
          {forms.data && <ConfiguredForms forms={forms.data.forms} />}
          <Group align="flex-end">
            <Select label={t('claim_settings.pick_model')} data={modelOptions} value={model} onChange={setModel} searchable w={280} />
            <Button
              variant="default"
              disabled={!model}
              onClick={() => {
                if (model) void navigate(formLink('model', model));
              }}
            >
              {t('claim_settings.open_form')}
            </Button>
          </Group>
          <Group align="flex-end">
            <Select label={t('claim_settings.pick_category')} data={categories} value={category} onChange={setCategory} w={280} />
            <Button
              variant="default"
              disabled={!category}
              onClick={() => {
                if (category) void navigate(formLink('category', category));
              }}
            >
              {t('claim_settings.open_form')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={2} size="h3">
            {t('claim_settings.help')}
          </Title>
          <Text c="dimmed">{t('claim_settings.help_hint')}</Text>
          <Group align="flex-end">
            <Select
              label={t('claim_settings.pick_model')}
              data={modelOptions}
              value={helpModel}
              onChange={setHelpModel}
              searchable
              w={280}
            />
            <Button
              variant="default"
              disabled={!helpModel}
              onClick={() => {
                if (helpModel) void navigate(`/claim-settings/help/${encodeURIComponent(helpModel)}`);
              }}
            >
              {t('claim_settings.open_help')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
