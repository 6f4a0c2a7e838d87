import { Alert, Anchor, Button, FileInput, Group, Image, Loader, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom } from '../../components/forms';
import { mayUse } from '../../shell/menu';
import { formatDateTime } from '../format';
import {
  CASE_ANSWERERS,
  IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  NOTE_MAX,
  PHOTOS_MAX,
  useAnswerCase,
  useCase,
  useCloseCase,
  type CaseDetail,
  type CaseNote,
} from './api';
import { CaseStatusBadge } from './parts';

function Note({ note, partnerName }: { note: CaseNote; partnerName: string }) {
  const { t } = useTranslation();
  const byStaff = note.author.role === 'staff';
  return (
    <Paper
      withBorder
      p="sm"
      component="article"
      data-testid="case-note"
      style={{ borderInlineStart: `4px solid ${byStaff ? 'var(--ok)' : 'var(--warn)'}` }}
    >
      <Text size="sm" fw={600}>
        {byStaff ? t('cases.by_staff', { name: note.author.username ?? '' }) : t('cases.by_partner', { name: partnerName })}
        {' · '}
        {formatDateTime(note.at)}
      </Text>
      {note.text && (
        <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} mt={4}>
          {note.text}
        </Text>
      )}
      {note.photos.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} mt="xs">
          {note.photos.map((photo, index) => (
            <Anchor key={photo.key} href={photo.url} target="_blank" rel="noopener noreferrer">
              <Image
                src={photo.url}
                alt={t('cases.photo_alt', { number: index + 1, note: note.number })}
                radius="sm"
                fit="cover"
                h={120}
                data-testid="case-photo"
              />
            </Anchor>
          ))}
        </SimpleGrid>
      )}
    </Paper>
  );
}

function AnswerForm({ found }: { found: CaseDetail }) {
  const { t } = useTranslation();
  const answer = useAnswerCase(found.case_id);
  const form = useForm({
    mode: 'controlled',
    initialValues: { text: '', files: [] as File[] },
    validate: {
      text: (value, values) => {
        if (!value.trim() && values.files.length === 0) return t('cases.answer_empty');
        return value.length > NOTE_MAX ? t('cases.answer_too_long', { max: NOTE_MAX }) : null;
      },
      files: (files) => {
        if (files.length > PHOTOS_MAX) return t('cases.photos_too_many', { max: PHOTOS_MAX });
        if (files.some((f) => !IMAGE_TYPES.includes(f.type))) return t('cases.photo_wrong_type');
        return files.some((f) => f.size > MAX_IMAGE_BYTES) ? t('cases.photo_too_large') : null;
      },
    },
  });
  const submit = form.onSubmit((values) => {
    answer.mutate(
      { text: values.text.trim(), files: values.files },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({ color: 'green', message: t('cases.answered'), closeButtonProps: { 'aria-label': t('cases.close_notice') } });
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
        <Title order={2} size="h3">
          {t('cases.answer')}
        </Title>
        <Textarea label={t('cases.answer_text')} description={t('cases.answer_hint')} autosize minRows={3} maxLength={NOTE_MAX} {...form.getInputProps('text')} />
        <FileInput
          label={t('cases.photos')}
          description={t('cases.photos_rules', { max: PHOTOS_MAX })}
          placeholder={t('cases.photos_pick')}
          multiple
          clearable
          accept={IMAGE_TYPES.join(',')}
          clearButtonProps={{ 'aria-label': t('cases.photos_clear') }}
          {...form.getInputProps('files')}
        />
        {answer.isError && !answer.error.fields.length && <Alert color="red" role="alert" title={answer.error.message} />}
        <Group justify="flex-end">
          <Button type="submit" loading={answer.isPending}>
            {t('cases.send_answer')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One case: its subject, unit or reward entry, partner, the whole thread with its photos, and
 * for admin, cs and technicians the answer and the close. */
export function CasePage() {
  const { t } = useTranslation();
  const { caseId = '' } = useParams();
  const found = useCase(caseId);
  const closing = useCloseCase(caseId);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayAnswer = roles.some((r) => CASE_ANSWERERS.includes(r));
  const data = found.data;

  return (
    <Stack>
      <Anchor component={Link} to="/cases">
        {t('cases.back')}
      </Anchor>
      <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
        {data ? data.subject : t('cases.case')}
      </Title>
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {data && (
        <>
          <Group justify="space-between" gap="sm">
            <Group gap="xs">
              <CaseStatusBadge status={data.status} />
              <Text size="sm">{t(`cases.kind.${data.kind}`)}</Text>
            </Group>
            {mayAnswer && data.status !== 'closed' && (
              <Button
                variant="default"
                loading={closing.isPending}
                onClick={() => {
                  closing.mutate(undefined);
                }}
              >
                {t('cases.close')}
              </Button>
            )}
          </Group>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <div>
                <Text size="sm" fw={600}>
                  {t('cases.serial')}
                </Text>
                {mayUse('/units', roles) ? (
                  <Anchor component={Link} to={`/units/${encodeURIComponent(data.serial)}`}>
                    {data.serial}
                  </Anchor>
                ) : (
                  <Text>{data.serial}</Text>
                )}
              </div>
              <div>
                <Text size="sm" fw={600}>
                  {t('cases.partner')}
                </Text>
                {mayUse('/partners', roles) ? (
                  <Anchor component={Link} to={`/partners/${encodeURIComponent(data.partner.partner_id)}`}>
                    {data.partner.name}
                  </Anchor>
                ) : (
                  <Text>{data.partner.name}</Text>
                )}
              </div>
              <div>
                <Text size="sm" fw={600}>
                  {t('cases.created_at')}
                </Text>
                <Text>{formatDateTime(data.created_at)}</Text>
              </div>
            </SimpleGrid>
          </Paper>
          {closing.isError && <Alert color="red" role="alert" title={closing.error.message} />}
          <Title order={2} size="h3">
            {t('cases.thread')}
          </Title>
          <Stack gap="sm" data-testid="case-thread">
            {data.notes.map((note) => (
              <Note key={note.number} note={note} partnerName={data.partner.name} />
            ))}
          </Stack>
          {data.status === 'closed' && (
            <Alert color="gray" role="status" title={t('cases.closed_by', { by: data.closed_by === 'partner' ? data.partner.name : (data.closed_by ?? '') })}>
              {t('cases.closed_hint')}
            </Alert>
          )}
          {mayAnswer && data.status !== 'closed' && <AnswerForm found={data} />}
        </>
      )}
    </Stack>
  );
}
