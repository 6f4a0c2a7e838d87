// the calendar's styles travel with the screens that pick dates, not with the sign-in page
import '@mantine/dates/styles.css';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

/** `Date | string | null` from a date picker → `YYYY-MM-DD` (the API's days) or ''. */
export function dayOf(value: unknown): string {
  if (!value) return '';
  if (typeof value === 'string') return value.slice(0, 10);
  if (value instanceof Date) {
    const month = String(value.getMonth() + 1).padStart(2, '0');
    const day = String(value.getDate()).padStart(2, '0');
    return `${String(value.getFullYear())}-${month}-${day}`;
  }
  return '';
}

interface DayInputProps {
  label: string;
  value: string; // YYYY-MM-DD or ''
  onChange: (day: string) => void;
  error?: React.ReactNode;
  maxDate?: string;
}

/** One day, picked on a calendar in the console's language and shown in its format (dd/mm/yyyy
 * in Vietnamese), not the browser's: a native date input follows the browser's locale, so a
 * Vietnamese page could ask for mm/dd/yyyy. */
export function DayInput({ label, value, onChange, error, maxDate }: DayInputProps) {
  const { t } = useTranslation();
  return (
    <DatePickerInput
      label={label}
      clearable
      // Mantine's clear button is a bare icon: named, or axe finds a button without a name
      clearButtonProps={{ 'aria-label': t('form.clear_day', { label }) }}
      valueFormat={t('form.date_format')}
      placeholder={t('form.date_placeholder')}
      value={value || null}
      maxDate={maxDate}
      error={error}
      onChange={(picked) => {
        onChange(dayOf(picked));
      }}
    />
  );
}
