import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DAY_PARTS, type DayPart } from './ticketsApi';

/** Morning or afternoon: a visit's part of the day. */
export function DayPartSelect({ value, onChange, w }: { value: DayPart; onChange: (part: DayPart) => void; w?: number }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('tickets.part_label')}
      data={DAY_PARTS.map((p) => ({ value: p, label: t(`tickets.part.${p}`) }))}
      value={value}
      allowDeselect={false}
      onChange={(picked) => {
        if (picked) onChange(picked);
      }}
      w={w}
    />
  );
}
