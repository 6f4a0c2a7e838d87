import { useTranslation } from 'react-i18next';

/** The provinces a centre serves, the first `most` named and the rest counted
 * ("Hà Nội, Hưng Yên, Bắc Ninh +2"); all of them without `most`. */
export function ProvincesServed({ provinces, most }: { provinces: readonly string[]; most?: number }) {
  const { t } = useTranslation();
  const shown = most ? provinces.slice(0, most) : provinces;
  const more = provinces.length - shown.length;
  return (
    <>
      {shown.join(', ')}
      {more > 0 && ` ${t('centers.provinces_more', { n: more })}`}
    </>
  );
}
