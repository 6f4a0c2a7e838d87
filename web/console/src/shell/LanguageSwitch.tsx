import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';

/** One button naming the other language in that language ("English" / "Tiếng Việt"). */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const other = currentLanguage() === 'vi' ? 'en' : 'vi';
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      lang={other}
      onClick={() => {
        void setLanguage(other);
      }}
    >
      {t('lang.other')}
    </Button>
  );
}
