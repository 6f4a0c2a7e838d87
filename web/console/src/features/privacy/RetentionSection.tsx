import { Alert, Button, Group, Loader, NumberInput, SimpleGrid, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { Section } from '../../components/Section';
import { actorName, formatDateTime } from '../format';
import {
  RETENTION_KINDS,
  RETENTION_READERS,
  RETENTION_SETTERS,
  retentionField,
  useRetention,
  useSaveRetention,
  type Retention,
  type RetentionField,
  type RetentionKind,
} from './api';
import { formatClock, formatCount } from './numbers';

/** The daily job's hour (app.py: 03:00 in Vietnam). */
const JOB_HOUR = 3;
/** Three periods side by side from a wide screen on; one under another below it. */
const COLUMNS = { base: 1, lg: 3 };

type Values = Record<RetentionField, number | string>;
type Save = ReturnType<typeof useSaveRetention>;

function valuesOf(retention: Retention): Values {
  return {
    messages_months: retention.messages_months,
    claims_months: retention.claims_months,
    visits_months: retention.visits_months,
  };
}

/** What a period does, in one line, and its bounds. */
function Hint({ kind, retention }: { kind: RetentionKind; retention: Retention }) {
  const { t } = useTranslation();
  const [min, max] = retention.bounds[retentionField(kind)];
  return (
    <>
      {t(`privacy.retention.hint.${kind}`)} {t('privacy.retention.range', { min: formatCount(min), max: formatCount(max) })}
    </>
  );
}

/** The admin's form: a number of months per kind, sent over the version read. The API checks
 * the bounds (its message shows on the field); a value left empty is said here. */
function RetentionForm({ retention, save }: { retention: Retention; save: Save }) {
  const { t } = useTranslation();
  const whole = (value: number | string) => (typeof value === 'number' ? null : t('form.required'));
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(retention),
    validate: { messages_months: whole, claims_months: whole, visits_months: whole },
  });
  useLeaveGuard(form.isDirty(), t('form.leave_unsaved'));
  const submit = form.onSubmit((values) => {
    save.mutate(
      {
        messages_months: Number(values.messages_months),
        claims_months: Number(values.claims_months),
        visits_months: Number(values.visits_months),
        version: retention.version,
      },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: t('privacy.retention.saved'),
            closeButtonProps: { 'aria-label': t('privacy.close_notice') },
          });
        },
        onError: (error) => {
          form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <SimpleGrid cols={COLUMNS}>
        {RETENTION_KINDS.map((kind) => {
          const field = retentionField(kind);
          const [min, max] = retention.bounds[field];
          return (
            <NumberInput
              key={kind}
              label={t('privacy.retention.in_months', { kind: t(`privacy.retention.kind.${kind}`) })}
              description={<Hint kind={kind} retention={retention} />}
              // the explanation under the field: the three inputs stay level side by side
              inputWrapperOrder={['label', 'input', 'error', 'description']}
              required
              min={min}
              max={max}
              // a value out of bounds stays as typed: the API says what is wrong with it
              clampBehavior="none"
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps(field)}
            />
          );
        })}
      </SimpleGrid>
      <Group mt="md">
        <Button type="submit" loading={save.isPending}>
          {t('privacy.retention.save')}
        </Button>
      </Group>
    </form>
  );
}

/** The periods as customer service and the director read them. */
function RetentionValues({ retention }: { retention: Retention }) {
  const { t } = useTranslation();
  return (
    <>
      <SimpleGrid cols={COLUMNS} component="dl" m={0} data-testid="retention-values">
        {RETENTION_KINDS.map((kind) => (
          <div key={kind}>
            <Text component="dt" fw={600}>
              {t(`privacy.retention.kind.${kind}`)}
            </Text>
            <Text component="dd" m={0} size="xl" fw={700}>
              {t('privacy.retention.months', { months: formatCount(retention[retentionField(kind)]) })}
            </Text>
            <Text component="dd" m={0} size="sm">
              <Hint kind={kind} retention={retention} />
            </Text>
          </div>
        ))}
      </SimpleGrid>
      <Text size="sm">{t('privacy.retention.admin_only')}</Text>
    </>
  );
}

/** A save's refusal that no field shows: someone saved meanwhile (the periods are read again and
 * shown), or any other. */
function SaveProblem({ save }: { save: Save }) {
  const { t } = useTranslation();
  const error = save.error;
  if (!error || (error.status === 400 && error.fields.length)) return null;
  if (error.code === 'retention_changed') {
    return (
      <Alert color="red" role="alert" title={t('privacy.retention.conflict')}>
        {t('privacy.retention.conflict_detail')}
      </Alert>
    );
  }
  return <Alert color="red" role="alert" title={error.message} />;
}

/** How long customers' personal data is kept in messages, service requests and maintenance
 * visits (`/privacy/retention`), applied by a daily job: the admin changes the periods, customer
 * service and the director read them. */
export function RetentionSection() {
  const { t } = useTranslation();
  const roles = useRoles();
  const mayRead = roles.some((role) => RETENTION_READERS.includes(role));
  const maySet = roles.some((role) => RETENTION_SETTERS.includes(role));
  const retention = useRetention(mayRead);
  const save = useSaveRetention();
  if (!mayRead) return null;
  const data = retention.data;
  return (
    <Section title={t('privacy.retention.title')} testId="retention">
      <Text maw={720}>{t('privacy.retention.explain', { time: formatClock(JOB_HOUR) })}</Text>
      {retention.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {retention.isError && <Alert color="red" role="alert" title={retention.error.message} />}
      {maySet && <SaveProblem save={save} />}
      {data &&
        (maySet ? (
          // a new version (saved here or read again after a 409) starts the form from its values
          <RetentionForm key={data.version} retention={data} save={save} />
        ) : (
          <RetentionValues retention={data} />
        ))}
      {data && (
        <Text size="sm" data-testid="retention-changed">
          {data.updated_by
            ? t('privacy.retention.changed_by', { who: actorName(data.updated_by), when: formatDateTime(data.updated_at) })
            : t('privacy.retention.defaults')}
        </Text>
      )}
    </Section>
  );
}
