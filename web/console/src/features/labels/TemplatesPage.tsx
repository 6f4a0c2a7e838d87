import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { ServerTable } from '../../components/ServerTable';
import { useTemplates, type Template } from './api';
import { LabelsTabs, TemplateKindBadge, usePhone } from './parts';

/** The label templates: the built-in ones (read-only) and the brand's own, each opening the
 * editor with its live preview. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const session = useSession();
  const mayEdit = session.status === 'signed_in' && session.session.roles.includes('admin');

  const name = (tpl: Template) => (
    <Group gap={6}>
      <Anchor component={Link} to={`/labels/templates/${encodeURIComponent(tpl.name)}`}>
        {tpl.name}
      </Anchor>
      <TemplateKindBadge builtin={tpl.builtin} />
    </Group>
  );
  const size = (tpl: Template) =>
    t('labels.template.size_mm', { width: tpl.label.width_mm, height: tpl.label.height_mm });
  const stock = (tpl: Template) =>
    tpl.stock.kind === 'roll'
      ? t('labels.stock.roll')
      : t('labels.template.sheet_grid', { columns: tpl.columns, rows: tpl.rows, count: tpl.per_page });
  const phone = usePhone();
  // the first column is a phone's (the row stacked in one cell); the others make the row
  const columns: DataTableColumn<Template>[] = [
    {
      accessor: 'summary',
      title: t('labels.templates.title'),
      render: (tpl) => (
        <Stack gap={4}>
          {name(tpl)}
          <Text size="sm">
            {size(tpl)} · {stock(tpl)}
          </Text>
        </Stack>
      ),
    },
    { accessor: 'name', title: t('labels.template.name'), render: name },
    { accessor: 'size', title: t('labels.template.size'), noWrap: true, render: size },
    { accessor: 'stock', title: t('labels.template.stock'), render: stock },
  ];

  return (
    <Stack>
      <LabelsTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('labels.templates.title')}
        </Title>
        {mayEdit && (
          <Button component={Link} to="/labels/templates/new">
            {t('labels.templates.new')}
          </Button>
        )}
      </Group>
      <Text size="sm">{t('labels.templates.intro')}</Text>
      <ServerTable
        query={templates}
        columns={phone ? columns.slice(0, 1) : columns.slice(1)}
        idAccessor="name"
        caption={t('labels.templates.title')}
        emptyText={t('labels.templates.empty')}
      />
    </Stack>
  );
}
