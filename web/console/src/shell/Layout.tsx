import { AppShell, Burger, Button, Group, NavLink, Text, useMantineTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { signOut, type Session } from '../auth/session';
import { LanguageSwitch } from './LanguageSwitch';
import { currentItem, menuFor, outsiderRole } from './menu';

/** The signed-in frame: header (menu button on phones, the user and their "change password",
 * language, sign out) and the role's menu, which collapses behind the button below the `sm`
 * breakpoint; there the user's name and "change password" move into the menu. */
export function Layout({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const queryClient = useQueryClient();
  const theme = useMantineTheme();
  const phone = useMediaQuery(`(max-width: ${theme.breakpoints.sm})`);
  const items = menuFor(session.roles);
  const current = currentItem(location.pathname, items);
  const roleNames = session.roles.map((role) => t(`role.${role}`)).join(', ');
  // a dealer's or a service company's user is not in the brand's back office: its own title
  const outsider = outsiderRole(session.roles);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t(opened ? 'nav.close' : 'nav.open')}
              aria-expanded={opened}
              aria-controls="console-menu"
            />
            <Text fw={700} component="span" data-testid="app-name">
              {t(outsider ? `app.name_${outsider}` : 'app.name')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" data-testid="user">
              {session.username} · {roleNames}
            </Text>
            {/* a link, not a dropdown menu: the sign-in route's bundle stays small */}
            <Button component={Link} to="/password" variant="subtle" size="compact-sm" visibleFrom="sm">
              {t('nav.password')}
            </Button>
            <LanguageSwitch />
            <Button
              variant="default"
              size="compact-sm"
              onClick={() => {
                signOut(); // the signed-in routes then lead to the sign-in page
                queryClient.clear();
              }}
            >
              {t('signin.sign_out')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        p="xs"
        id="console-menu"
        aria-label={t('nav.label')}
        component="nav"
        // folded away on a phone: out of sight is not enough, the keyboard must skip it too
        style={phone && !opened ? { visibility: 'hidden' } : undefined}
      >
        <Text size="sm" hiddenFrom="xs" px="sm" pb="xs">
          {session.username} · {roleNames}
        </Text>
        <NavLink
          hiddenFrom="sm"
          component={RouterLink}
          to="/password"
          label={t('nav.password')}
          active={location.pathname === '/password'}
          onClick={close}
        />
        {items.map((item) => (
          <NavLink
            key={item.path}
            component={Link}
            to={item.path}
            label={t(item.label)}
            // one item is current, the most specific one (so not "units" on "generate a range")
            active={item === current}
            aria-current={item === current ? 'page' : undefined}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
