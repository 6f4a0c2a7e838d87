import { Button, Group } from '@mantine/core';
import { LANGUAGE_NAMES, LANGUAGES, currentLanguage, setLanguage } from '../i18n';

/** A button for each language not spoken now, each named in its own language ("English",
 * "Tiếng Việt", "فارسی"): one tap to switch, as before there were three. */
export function LanguageSwitch() {
  const spoken = currentLanguage();
  return (
    <Group gap={2} wrap="nowrap">
      {LANGUAGES.filter((language) => language !== spoken).map((language) => (
        <Button
          key={language}
          variant="subtle"
          size="compact-sm"
          px={6}
          lang={language}
          dir={language === 'fa' ? 'rtl' : 'ltr'}
          onClick={() => {
            void setLanguage(language);
          }}
        >
          {LANGUAGE_NAMES[language]}
        </Button>
      ))}
    </Group>
  );
}
