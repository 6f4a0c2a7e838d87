import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useUrlCursor } from '../../components/useUrlFilters';
import { useMine } from './api';
import { ClaimCard } from './parts';

/** "My requests": the requests assigned to the caller (a technician, or a partner company's
 * user: its company's), the latest change first, as cards a phone shows whole; each opens the
 * request, where the caller moves it, writes a note and adds photos. The assignee sees the
 * customer's phone: they arrange the visit. */
export function MinePage() {
  const { t } = useTranslation();
  const { cursor, next, first } = useUrlCursor();
  const mine = useMine(cursor);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('claims.mine_title')}
      </Title>
      {mine.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {mine.isError && <Alert color="red" role="alert" title={mine.error.message} />}
      {mine.data && mine.data.records.length === 0 && (
        <Card withBorder padding="lg" radius="sm">
          <Text c="dimmed">{t('claims.mine_empty')}</Text>
        </Card>
      )}
      {mine.data && mine.data.records.length > 0 && (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('claims.mine_title')} data-testid="mine">
          {mine.data.records.map((claim) => (
            <ClaimCard key={claim.claim_id} claim={claim} fullPhone withState />
          ))}
        </Stack>
      )}
      <Group justify="flex-end" gap="xs">
        {cursor && (
          <Button variant="default" size="compact-sm" onClick={first}>
            {t('table.first_page')}
          </Button>
        )}
        {mine.data?.nextCursor && (
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => {
              if (mine.data.nextCursor) next(mine.data.nextCursor);
            }}
          >
            {t('table.next_page')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
