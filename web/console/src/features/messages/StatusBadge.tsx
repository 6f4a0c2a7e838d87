import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLOURS: Record<string, string> = {
  delivered: 'green',
  accepted: 'teal',
  failed: 'red',
  unknown: 'orange',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status] ?? 'gray'} variant="outline" autoContrast>
      {t(`message.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
