import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A page that is not there or not for this role: `text` and `<text>_detail` from the catalogue. */
export function Refusal({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t(text)}
      </Title>
      <Alert color="yellow" role="status" title={t(`${text}_detail`)} />
    </Stack>
  );
}
