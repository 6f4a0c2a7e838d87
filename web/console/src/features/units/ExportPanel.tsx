import { useTranslation } from 'react-i18next';
import { ExportJobPanel } from '../../components/ExportJobPanel';
import type { UnitFilters } from './api';

/** The export of the list with `filters` (a job: `POST /units/exports`). */
export function ExportPanel({ filters, onClose }: { filters: UnitFilters; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ExportJobPanel
      title={t('units.export_title')}
      startPath="/units/exports"
      body={filters}
      jobPath={(id) => `/units/exports/${encodeURIComponent(id)}`}
      onClose={onClose}
    />
  );
}
