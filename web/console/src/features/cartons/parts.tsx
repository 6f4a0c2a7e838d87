import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';

const TONES: Record<string, [string, string]> = {
  open: ['var(--warn)', 'var(--warn-bg)'],
  closed: ['var(--ok)', 'var(--ok-bg)'],
};

export function CartonStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status] ?? ['var(--muted)', 'var(--card)'];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`cartons.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** Admin and customer service pack (the API's writers); the other readers only look. */
export function useMayPack(): boolean {
  const session = useSession();
  return session.status === 'signed_in' && session.session.roles.some((r) => r === 'admin' || r === 'cs');
}
