import { Button, Group, Select, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/errors';
import { LIFECYCLE_STATUSES } from './lifecycle';

/** A registry's list filters (dealers, service centres): its status, and the start of a code
 * searched on submit. Texts from the registry's catalogue keys under `ns`. */
export function RegistryFilters(props: {
  ns: string;
  filters: { code: string; status: string };
  setFilters: (changed: { code?: string; status?: string }) => void;
  error: ApiError | null;
}) {
  const { ns, filters, setFilters, error } = props;
  const { t } = useTranslation();
  const [code, setCode] = useState(filters.code);
  const [shownCode, setShownCode] = useState(filters.code);
  if (shownCode !== filters.code) {
    setShownCode(filters.code);
    setCode(filters.code);
  }
  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilters({ code: code.trim() });
  };
  const codeError = error?.fields.find((problem) => problem.field === 'code')?.message;

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Select
        label={t(`${ns}.status`)}
        data={[
          { value: '', label: t(`${ns}.any_status`) },
          ...LIFECYCLE_STATUSES.map((s) => ({ value: s, label: t(`${ns}.status.${s}`) })),
        ]}
        value={filters.status}
        allowDeselect={false}
        onChange={(value) => {
          setFilters({ status: value ?? '' });
        }}
        w={200}
      />
      <form onSubmit={search}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={t(`${ns}.code_search`)}
            autoComplete="off"
            value={code}
            error={codeError}
            onChange={(event) => {
              setCode(event.currentTarget.value);
            }}
            w={180}
          />
          <Button type="submit" variant="default">
            {t('action.search')}
          </Button>
        </Group>
      </form>
    </Group>
  );
}
