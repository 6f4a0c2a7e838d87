import { Checkbox, NumberInput, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataLanguage } from '../../i18n';
import type { FormField } from './api';

type Language = 'vi' | 'en';

/** The English text, the Vietnamese where it has none (what the portal does). */
export function inLanguage(vi: string, en: string, language: Language): string {
  return language === 'en' && en.trim() ? en : vi;
}

function PreviewField({ field, language }: { field: FormField; language: Language }) {
  const label = inLanguage(field.label, field.label_en, language) || field.key;
  const common = { label, required: field.required, readOnly: true };
  switch (field.type) {
    case 'textarea':
      return <Textarea {...common} minRows={2} autosize />;
    case 'number':
      return <NumberInput {...common} />;
    case 'select':
      return (
        <Select
          {...common}
          data={field.options.map((o) => ({ value: o.value, label: inLanguage(o.label, o.label_en, language) || o.value }))}
        />
      );
    case 'date':
      return <TextInput {...common} type="date" />;
    case 'checkbox':
      return <Checkbox label={label} required={field.required} readOnly />;
    default:
      return <TextInput {...common} />;
  }
}

/** The form as the customer will see it on the portal, in either language. */
export function FormPreview({ fields }: { fields: FormField[] }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<Language>(dataLanguage());
  return (
    <Paper withBorder p="md" data-testid="form-preview">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('claim_settings.preview')}
        </Title>
        <SegmentedControl
          aria-label={t('claim_settings.preview_language')}
          value={language}
          onChange={(value) => {
            setLanguage(value === 'en' ? 'en' : 'vi');
          }}
          data={[
            { value: 'vi', label: t('claim_settings.language_vi') },
            { value: 'en', label: t('claim_settings.language_en') },
          ]}
        />
        {fields.length === 0 && <Text c="dimmed">{t('claim_settings.preview_empty')}</Text>}
        {fields.map((field, index) => (
          <PreviewField key={`${field.key}-${String(index)}`} field={field} language={language} />
        ))}
      </Stack>
    </Paper>
  );
}
