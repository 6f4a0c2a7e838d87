import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileButton,
  Fieldset,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { RowMoves } from '../../components/RowMoves';
import { formatDateTime } from '../format';
import { MANUAL_TYPE, MAX_MANUAL_BYTES, useModelHelp, useSaveModelHelp, useUploadManual, type ModelHelp } from './api';

const MAX_FAULTS = 30;
const HTTPS = /^https:\/\/[^\s<>"']+$/;

interface FaultRow {
  id: string;
  title: string;
  title_en: string;
  fix: string;
  fix_en: string;
}

interface HelpValues {
  manual_url: string;
  manual_key: string;
  faults: FaultRow[];
}

let seed = 0;
const rowId = () => `f${String(++seed)}`;

function useHelpForm(help: ModelHelp, onChange: () => void) {
  const { t } = useTranslation();
  const limit = (max: number, required: boolean) => (v: string) =>
    required && !v.trim() ? t('form.required') : v.trim().length > max ? t('claim_settings.too_long', { max }) : null;
  return useForm<HelpValues>({
    initialValues: {
      manual_url: help.manual_url,
      manual_key: help.manual_key,
      faults: help.faults.map((f) => ({ ...f, id: rowId() })),
    },
    validate: {
      manual_url: (v) => (v.trim() && !HTTPS.test(v.trim()) ? t('claim_settings.manual_url_invalid') : null),
      faults: { title: limit(150, true), title_en: limit(150, false), fix: limit(2000, true), fix_en: limit(2000, false) },
    },
    onValuesChange: onChange,
  });
}

type HelpForm = ReturnType<typeof useHelpForm>;

function FaultRows({ form }: { form: HelpForm }) {
  const { t } = useTranslation();
  const rows = form.values.faults;
  return (
    <Fieldset legend={t('claim_settings.faults')}>
      <Stack gap="sm">
        {rows.length === 0 && <Text c="dimmed">{t('claim_settings.faults_empty')}</Text>}
        {rows.map((row, index) => {
          const name = row.title || String(index + 1);
          return (
            <Paper key={row.id} withBorder p="xs" data-testid="fault-row">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <TextInput label={t('claim_settings.fault_title')} required {...form.getInputProps(`faults.${String(index)}.title`)} />
                <TextInput label={t('claim_settings.fault_title_en')} {...form.getInputProps(`faults.${String(index)}.title_en`)} />
                <Textarea label={t('claim_settings.fault_fix')} required autosize minRows={2} {...form.getInputProps(`faults.${String(index)}.fix`)} />
                <Textarea label={t('claim_settings.fault_fix_en')} autosize minRows={2} {...form.getInputProps(`faults.${String(index)}.fix_en`)} />
              </SimpleGrid>
              <RowMoves
                index={index}
                count={rows.length}
                labels={{
                  up: t('claim_settings.field_up', { name }),
                  down: t('claim_settings.field_down', { name }),
                  remove: t('claim_settings.fault_remove', { name }),
                }}
                onMove={(from, to) => {
                  form.reorderListItem('faults', { from, to });
                }}
                onRemove={(at) => {
                  form.removeListItem('faults', at);
                }}
              />
            </Paper>
          );
        })}
        {rows.length < MAX_FAULTS && (
          <Group>
            <Button
              variant="default"
              onClick={() => {
                form.insertListItem('faults', { id: rowId(), title: '', title_en: '', fix: '', fix_en: '' });
              }}
            >
              {t('claim_settings.fault_add')}
            </Button>
          </Group>
        )}
      </Stack>
    </Fieldset>
  );
}

function Manual({ form, code, src }: { form: HelpForm; code: string; src: string }) {
  const { t } = useTranslation();
  const upload = useUploadManual(code);
  const [refusal, setRefusal] = useState<string | null>(null);
  const key = form.values.manual_key;
  return (
    <Fieldset legend={t('claim_settings.manual')}>
      <Stack gap="sm">
        <TextInput
          label={t('claim_settings.manual_url')}
          description={t('claim_settings.manual_url_hint')}
          disabled={key !== ''}
          {...form.getInputProps('manual_url')}
        />
        <Group>
          <FileButton
            accept={MANUAL_TYPE}
            onChange={(file) => {
              setRefusal(null);
              if (!file) return;
              if (file.type !== MANUAL_TYPE || file.size > MAX_MANUAL_BYTES) {
                setRefusal(t('claim_settings.manual_refused'));
                return;
              }
              upload.mutate(file, {
                onSuccess: (uploaded) => {
                  form.setValues({ manual_key: uploaded, manual_url: '' });
                },
              });
            }}
          >
            {(props) => (
              <Button variant="default" loading={upload.isPending} {...props}>
                {t('claim_settings.manual_upload')}
              </Button>
            )}
          </FileButton>
          {key !== '' && (
            <>
              <Badge variant="light" data-testid="manual-key">
                {t('claim_settings.manual_uploaded')}
              </Badge>
              {src && key === form.getInitialValues().manual_key && (
                <Anchor href={src} target="_blank" rel="noreferrer">
                  {t('claim_settings.manual_open')}
                </Anchor>
              )}
              <Button
                variant="subtle"
                size="xs"
                onClick={() => {
                  form.setFieldValue('manual_key', '');
                }}
              >
                {t('claim_settings.manual_remove')}
              </Button>
            </>
          )}
        </Group>
        {refusal && <Alert color="red" role="alert" title={refusal} />}
        {upload.isError && <Alert color="red" role="alert" title={upload.error.message} />}
      </Stack>
    </Fieldset>
  );
}

function HelpEditor({ help }: { help: ModelHelp }) {
  const { t } = useTranslation();
  const save = useSaveModelHelp(help.model_code);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const form = useHelpForm(help, () => {
    setSaved(false);
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));
  const submit = form.onSubmit((values) => {
    setProblem(null);
    save.mutate(
      {
        version: help.version,
        manual_url: values.manual_url.trim(),
        manual_key: values.manual_key,
        faults: values.faults.map(({ title, title_en, fix, fix_en }) => ({
          title: title.trim(),
          title_en: title_en.trim(),
          fix: fix.trim(),
          fix_en: fix_en.trim(),
        })),
      },
      {
        onSuccess: () => {
          setSaved(true);
          notifications.show({
            color: 'green',
            message: t('claim_settings.help_saved'),
            closeButtonProps: { 'aria-label': t('claim_settings.close_notice') },
          });
        },
        onError: (error) => {
          if (error.status === 400 && error.fields.length) form.setErrors(fieldErrorsFrom(error));
          setProblem(error);
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {problem && <Alert color="red" role="alert" title={problem.message} />}
        <Manual form={form} code={help.model_code} src={help.manual_src} />
        <FaultRows form={form} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('claim_settings.help_save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A model's self-help (`/claim-settings/help/:code`): its manual (a link or an uploaded PDF)
 * and common faults with their fixes, in both languages, shown on the portal before a request. */
export function HelpPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const help = useModelHelp(code);
  return (
    <Stack>
      <Anchor component={Link} to="/claim-settings">
        {t('claim_settings.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('claim_settings.help_title', { code })}
      </Title>
      {help.data && help.data.version > 0 && (
        <Text size="sm" c="dimmed">
          {t('claim_settings.saved_by', { who: help.data.updated_by, when: formatDateTime(help.data.updated_at) })}
        </Text>
      )}
      {help.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {help.isError && <Alert color="red" role="alert" title={help.error.message} />}
      {help.data && <HelpEditor key={help.data.version} help={help.data} />}
    </Stack>
  );
}
