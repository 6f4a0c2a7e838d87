import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { fieldErrorsFrom } from '../../components/forms';
import { ServerTable } from '../../components/ServerTable';
import { currentLanguage } from '../../i18n';
import { formatDateTime, formatDay, formatVnd } from '../format';
import { useModels } from '../units/api';
import { AMOUNT_MAX, NOTE_MAX, RULE_WRITERS, useEndRule, useRuleTarget, useRules, useSaveRule, type Rule } from './api';

/** Today in Vietnam, `YYYY-MM-DD` (the API's calendar for a rule's days). */
export function todayInVietnam(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);
}

/** The separators of a VND amount as the reader writes it (1.500.000 or 1,500,000). */
function amountSeparators(): { thousandSeparator: string; decimalSeparator: string } {
  return currentLanguage() === 'vi'
    ? { thousandSeparator: '.', decimalSeparator: ',' }
    : { thousandSeparator: ',', decimalSeparator: '.' };
}

interface RuleValues {
  scope: 'model' | 'category';
  model_code: string;
  category: string;
  amount: number | string;
  valid_from: string;
  valid_to: string;
  priority: number | string;
  note: string;
}

/** A new rule, or (with `base`) the next version of `base`, prefilled with its terms; its model
 * stays (another model is another rule). */
function RuleForm({ base, onClose }: { base: Rule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const models = useModels();
  const targetOf = useRuleTarget();
  const categories = [...new Set((models.data ?? []).map((m) => m.category).filter((c) => c !== ''))].sort((a, b) =>
    a.localeCompare(b, 'vi'),
  );
  const save = useSaveRule();
  const form = useForm<RuleValues>({
    mode: 'controlled',
    initialValues: base
      ? {
          scope: base.scope,
          model_code: base.model_code ?? '',
          category: base.category ?? '',
          amount: base.amount,
          valid_from: base.valid_from,
          valid_to: base.valid_to ?? '',
          priority: base.priority,
          note: '',
        }
      : {
          scope: 'model',
          model_code: '',
          category: '',
          amount: '',
          valid_from: todayInVietnam(),
          valid_to: '',
          priority: 0,
          note: '',
        },
    validate: {
      model_code: (value, values) => (values.scope === 'category' || value ? null : t('form.required')),
      category: (value, values) => (values.scope === 'model' || value ? null : t('form.required')),
      amount: (value) =>
        typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= AMOUNT_MAX
          ? null
          : t('rewards.amount_invalid', { max: formatVnd(AMOUNT_MAX) }),
      valid_from: (value) => (value ? null : t('form.required')),
      valid_to: (value, values) => (value && value < values.valid_from ? t('rewards.dates_invalid') : null),
      priority: (value) =>
        typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 1000 ? null : t('rewards.priority_invalid'),
      note: (value) => (value.length > NOTE_MAX ? t('rewards.note_too_long', { max: NOTE_MAX }) : null),
    },
  });
  const submit = form.onSubmit((values) => {
    save.mutate(
      {
        ...(base ? { rule_id: base.rule_id } : {}),
        ...(values.scope === 'model' ? { model_code: values.model_code } : { category: values.category }),
        amount: Number(values.amount),
        valid_from: values.valid_from,
        valid_to: values.valid_to || null,
        priority: Number(values.priority),
        note: values.note.trim(),
      },
      {
        onSuccess: ({ rule }) => {
          notifications.show({
            color: 'green',
            message: t(base ? 'rewards.rule_versioned' : 'rewards.rule_created', {
              model: targetOf(rule),
              version: rule.version,
            }),
            closeButtonProps: { 'aria-label': t('rewards.close') },
          });
          onClose();
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  const separators = amountSeparators();
  const shownErrors = new Set(['model_code', 'category', 'amount', 'valid_from', 'valid_to', 'priority', 'note']);
  const general = save.error && !save.error.fields.some((f) => shownErrors.has(f.field));
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {base && <Text size="sm">{t('rewards.version_intro', { version: base.version + 1 })}</Text>}
        <SegmentedControl
          aria-label={t('rewards.scope')}
          disabled={base !== null}
          data={[
            { value: 'model', label: t('rewards.scope.model') },
            { value: 'category', label: t('rewards.scope.category') },
          ]}
          {...form.getInputProps('scope')}
        />
        {form.values.scope === 'model' ? (
          <Select
            label={t('rewards.model')}
            required
            searchable
            disabled={base !== null}
            data={(models.data ?? []).map((m) => ({ value: m.code, label: `${m.code} · ${m.name}` }))}
            nothingFoundMessage={t('rewards.no_model')}
            {...form.getInputProps('model_code')}
          />
        ) : (
          <Select
            label={t('rewards.category')}
            description={t('rewards.category_hint')}
            required
            searchable
            disabled={base !== null}
            data={categories}
            nothingFoundMessage={t('rewards.no_category')}
            {...form.getInputProps('category')}
          />
        )}
        <NumberInput
          label={t('rewards.amount')}
          description={t('rewards.amount_hint')}
          required
          allowDecimal={false}
          allowNegative={false}
          min={1}
          max={AMOUNT_MAX}
          suffix=" ₫"
          {...separators}
          {...form.getInputProps('amount')}
        />
        <Group grow align="flex-start" wrap="wrap">
          <DayInput
            label={t('rewards.valid_from')}
            value={form.values.valid_from}
            onChange={(day) => {
              form.setFieldValue('valid_from', day);
            }}
            error={form.errors.valid_from}
          />
          <DayInput
            label={t('rewards.valid_to_optional')}
            value={form.values.valid_to}
            onChange={(day) => {
              form.setFieldValue('valid_to', day);
            }}
            error={form.errors.valid_to}
          />
        </Group>
        <NumberInput
          label={t('rewards.priority')}
          description={t('rewards.priority_hint')}
          allowDecimal={false}
          min={-1000}
          max={1000}
          {...form.getInputProps('priority')}
        />
        <Textarea label={t('rewards.note')} autosize minRows={2} maxLength={NOTE_MAX} {...form.getInputProps('note')} />
        {general && <Alert color="red" role="alert" title={save.error.message} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('rewards.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t(base ? 'rewards.save_version' : 'rewards.create_rule')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The rule's next version ends on a day (today by default): it prices no later activation. */
function EndForm({ rule, onClose }: { rule: Rule; onClose: () => void }) {
  const { t } = useTranslation();
  const end = useEndRule(rule.rule_id);
  const targetOf = useRuleTarget();
  const form = useForm({
    mode: 'controlled',
    initialValues: { valid_to: todayInVietnam(), note: '' },
    validate: {
      valid_to: (value) => (value ? null : t('form.required')),
      note: (value) => (value.length > NOTE_MAX ? t('rewards.note_too_long', { max: NOTE_MAX }) : null),
    },
  });
  const submit = form.onSubmit((values) => {
    end.mutate(
      { valid_to: values.valid_to, note: values.note.trim() },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: t('rewards.rule_ended', { model: targetOf(rule), day: formatDay(values.valid_to) }),
            closeButtonProps: { 'aria-label': t('rewards.close') },
          });
          onClose();
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('rewards.end_intro', { model: targetOf(rule) })}</Text>
        <DayInput
          label={t('rewards.last_day')}
          value={form.values.valid_to}
          onChange={(day) => {
            form.setFieldValue('valid_to', day);
          }}
          error={form.errors.valid_to}
        />
        <Textarea label={t('rewards.note')} autosize minRows={2} maxLength={NOTE_MAX} {...form.getInputProps('note')} />
        {end.isError && !end.error.fields.length && <Alert color="red" role="alert" title={end.error.message} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('rewards.cancel')}
          </Button>
          <Button
            type="submit"
            loading={end.isPending}
            // the tokens' red (AA with white text); Mantine's red is under 4.5:1
            styles={{ root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
          >
            {t('rewards.end_rule')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Dialog = { kind: 'new' } | { kind: 'version'; rule: Rule } | { kind: 'end'; rule: Rule };

/** The reward rules: what each model's installation pays, from when to when, at what priority;
 * each change a new version (the old ones kept), for admin and director. */
export function RulesPage() {
  const { t } = useTranslation();
  const rules = useRules();
  const models = useModels();
  const targetOf = useRuleTarget();
  const session = useSession();
  const mayWrite = session.status === 'signed_in' && session.session.roles.some((r) => RULE_WRITERS.includes(r));
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const today = todayInVietnam();
  const nameOf = (code: string) => models.data?.find((m) => m.code === code)?.name;

  const columns: DataTableColumn<Rule>[] = [
    {
      accessor: 'model_code',
      title: t('rewards.scope'),
      render: (r) =>
        r.model_code === null ? (
          <Stack gap={2} align="flex-start">
            <Badge variant="light" color="gray">
              {t('rewards.badge_category')}
            </Badge>
            <Text size="sm" fw={600}>
              {targetOf(r)}
            </Text>
          </Stack>
        ) : (
          <Stack gap={0}>
            <Text size="sm" fw={600} ff="monospace">
              {r.model_code}
            </Text>
            {nameOf(r.model_code) && <Text size="xs">{nameOf(r.model_code)}</Text>}
          </Stack>
        ),
    },
    { accessor: 'amount', title: t('rewards.amount'), textAlign: 'right', noWrap: true, render: (r) => formatVnd(r.amount) },
    { accessor: 'valid_from', title: t('rewards.valid_from'), noWrap: true, render: (r) => formatDay(r.valid_from) },
    {
      accessor: 'valid_to',
      title: t('rewards.valid_to'),
      noWrap: true,
      render: (r) => (r.valid_to ? formatDay(r.valid_to) : t('rewards.open_ended')),
    },
    { accessor: 'priority', title: t('rewards.priority'), textAlign: 'right' },
    {
      accessor: 'version',
      title: t('rewards.version'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{t('rewards.version_n', { version: r.version })}</Text>
          <Text size="xs">{t('rewards.changed_by', { at: formatDateTime(r.created_at), by: r.created_by })}</Text>
          {r.note && (
            <Text size="xs" fs="italic">
              {r.note}
            </Text>
          )}
        </Stack>
      ),
    },
    ...(mayWrite
      ? [
          {
            accessor: 'actions',
            title: t('rewards.actions'),
            render: (r: Rule) => (
              <Group gap="xs" wrap="nowrap" data-testid="rule-actions">
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={t('rewards.new_version_of', { model: targetOf(r) })}
                  onClick={() => {
                    setDialog({ kind: 'version', rule: r });
                  }}
                >
                  {t('rewards.new_version')}
                </Button>
                {(r.valid_to === null || r.valid_to >= today) && (
                  <Button
                    size="compact-sm"
                    variant="default"
                    aria-label={t('rewards.end_rule_of', { model: targetOf(r) })}
                    onClick={() => {
                      setDialog({ kind: 'end', rule: r });
                    }}
                  >
                    {t('rewards.end_rule')}
                  </Button>
                )}
              </Group>
            ),
          } satisfies DataTableColumn<Rule>,
        ]
      : []),
  ];

  const close = () => {
    setDialog(null);
  };
  const title =
    dialog?.kind === 'new'
      ? t('rewards.new_rule')
      : dialog?.kind === 'version'
        ? t('rewards.new_version_of', { model: targetOf(dialog.rule) })
        : dialog
          ? t('rewards.end_rule_of', { model: targetOf(dialog.rule) })
          : '';

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('rewards.rules_title')}
        </Title>
        {mayWrite && (
          <Button
            onClick={() => {
              setDialog({ kind: 'new' });
            }}
          >
            {t('rewards.new_rule')}
          </Button>
        )}
      </Group>
      <Text size="sm">{t('rewards.rules_intro')}</Text>
      <Anchor component={Link} to="/rewards">
        {t('rewards.to_reconciliation')}
      </Anchor>
      <ServerTable
        query={rules}
        columns={columns}
        idAccessor="rule_id"
        caption={t('rewards.rules_title')}
        emptyText={t('rewards.no_rules')}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={title}
        closeButtonProps={{ 'aria-label': t('rewards.close') }}
        centered
      >
        {dialog?.kind === 'end' ? (
          <EndForm rule={dialog.rule} onClose={close} />
        ) : dialog ? (
          <RuleForm base={dialog.kind === 'version' ? dialog.rule : null} onClose={close} />
        ) : null}
      </Modal>
    </Stack>
  );
}
