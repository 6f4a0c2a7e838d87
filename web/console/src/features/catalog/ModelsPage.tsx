import { Anchor, Button, Group, Image, Stack, Text, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { ServerTable } from '../../components/ServerTable';
import { useModels, type ProductModel } from './api';

/** Whether this staff member may change the catalogue (the API allows admins only). */
export function useMayEditCatalog(): boolean {
  const session = useSession();
  return session.status === 'signed_in' && session.session.roles.includes('admin');
}

/** The brand's product models (a few dozen at most: one page), each with its picture, warranty
 * and how many units use it; admins add and edit them. */
export function ModelsPage() {
  const { t } = useTranslation();
  const models = useModels();
  const mayEdit = useMayEditCatalog();

  const columns: DataTableColumn<ProductModel>[] = [
    {
      accessor: 'image_src',
      title: t('models.image'),
      width: 72,
      render: (m) =>
        m.image_src ? <Image src={m.image_src} alt="" w={48} h={48} fit="contain" radius="sm" /> : <Text c="dimmed">—</Text>,
    },
    {
      accessor: 'code',
      title: t('models.code'),
      noWrap: true,
      render: (m) => (
        <Anchor component={Link} to={`/models/${encodeURIComponent(m.code)}`}>
          {m.code}
        </Anchor>
      ),
    },
    { accessor: 'name', title: t('models.name') },
    {
      accessor: 'warranty_months',
      title: t('models.warranty'),
      noWrap: true,
      render: (m) => t('models.months', { months: m.warranty_months }),
    },
    { accessor: 'unit_count', title: t('models.units'), textAlign: 'right' },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('models.title')}
        </Title>
        {mayEdit && (
          <Button component={Link} to="/models/new">
            {t('models.new')}
          </Button>
        )}
      </Group>
      <ServerTable
        query={models}
        columns={columns}
        idAccessor="code"
        caption={t('models.title')}
        emptyText={t('models.empty')}
      />
    </Stack>
  );
}
