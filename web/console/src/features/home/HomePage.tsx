import { Anchor, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Session } from '../../auth/session';
import { menuFor } from '../../shell/menu';

/** Where a signed-in user lands: who they are and the screens their role opens. */
export function HomePage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const screens = menuFor(session.roles).filter((item) => item.path !== '/');
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('home.title', { name: session.username })}
      </Title>
      {screens.length ? (
        <>
          <Text>{t('home.screens')}</Text>
          <List>
            {screens.map((item) => (
              <List.Item key={item.path}>
                <Anchor component={Link} to={item.path}>
                  {t(item.label)}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </>
      ) : (
        <Text>{t('home.no_screens')}</Text>
      )}
    </Stack>
  );
}
