// The frames of a registry's record pages (dealers, service centres): the record's page (back
// link, title, status with the writers' actions, the record's own sections, the status history
// and the status dialog) and its form pages (new, edit). Texts from the registry's catalogue keys
// under `ns`; what differs (the fields, the links, the users) is the registry's own.
import { Alert, Anchor, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiError } from '../api/errors';
import { useRoles, type Role } from '../auth/session';
import { mayUse } from '../shell/menu';
import {
  LifecycleBadge,
  StatusButtons,
  StatusDialog,
  StatusHistory,
  useSetStatus,
  type LifecycleStatus,
  type StatusChange,
} from './lifecycle';
import { Refusal } from './Refusal';

export interface RegistryRecord {
  code: string;
  name: string;
  status: LifecycleStatus;
  history: StatusChange[];
}

interface RecordPageProps<T extends RegistryRecord> {
  ns: string;
  /** The list's path (`/dealers`): the back link, the edit link `<list>/<id>/edit`. */
  list: string;
  /** The record's API path (`/dealers/<id>`) and its query's key. */
  path: string;
  queryKey: readonly unknown[];
  /** The lists' query key (read again after a status change). */
  listKey: string;
  id: string;
  query: UseQueryResult<T, ApiError>;
  writers: readonly Role[];
  /** The audit log's entity name (`dealer`). */
  auditEntity: string;
  badges?: (record: T) => ReactNode;
  children: (record: T, mayWrite: boolean) => ReactNode;
}

/** One record: its status (the writers: edit, suspend, reinstate, close with a note), its own
 * sections, then its status history. */
export function RecordPage<T extends RegistryRecord>(props: RecordPageProps<T>) {
  const { ns, list, path, queryKey, listKey, id, query, writers, auditEntity, badges, children } = props;
  const { t } = useTranslation();
  const roles = useRoles();
  const mayWrite = roles.some((r) => writers.includes(r));
  const [dialog, setDialog] = useState<LifecycleStatus | null>(null);
  const change = useSetStatus<T>(path, queryKey, listKey);
  const data = query.data;
  const audit = `/audit?entity=${auditEntity}&entity_id=${encodeURIComponent(id)}`;

  return (
    <Stack>
      <Anchor component={Link} to={list}>
        {t(`${ns}.back`)}
      </Anchor>
      <Title order={1} size="h2">
        {data ? `${data.code} · ${data.name}` : t(`${ns}.record`)}
      </Title>
      {query.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {query.isError && <Alert color="red" role="alert" title={query.error.message} />}
      {data && (
        <>
          <Group justify="space-between" gap="sm">
            <Group gap="xs">
              <LifecycleBadge ns={ns} status={data.status} />
              {badges?.(data)}
            </Group>
            {mayWrite && (
              <Group gap="xs" data-testid="record-actions">
                {data.status !== 'closed' && (
                  <Button component={Link} to={`${list}/${encodeURIComponent(id)}/edit`} variant="default">
                    {t(`${ns}.edit`)}
                  </Button>
                )}
                <StatusButtons ns={ns} status={data.status} onPick={setDialog} />
              </Group>
            )}
          </Group>
          {children(data, mayWrite)}
          <StatusHistory ns={ns} history={data.history} auditLink={mayUse('/audit', roles) ? audit : null} />
          <StatusDialog
            ns={ns}
            name={data.name}
            to={dialog}
            change={change}
            onClose={() => {
              setDialog(null);
            }}
          />
        </>
      )}
    </Stack>
  );
}

interface FormPageProps<T> {
  writers: readonly Role[];
  back: { to: string; label: string };
  title: string;
  intro?: string;
  /** An edit: the record as read (its form once it is there). */
  query?: UseQueryResult<T, ApiError>;
  children: (record: T | undefined) => ReactNode;
}

/** A registry's new or edit page, for its writers only. */
export function FormPage<T>({ writers, back, title, intro, query, children }: FormPageProps<T>) {
  const { t } = useTranslation();
  const roles = useRoles();
  if (!roles.some((r) => writers.includes(r))) return <Refusal text="page.forbidden" />;
  return (
    <Stack>
      <Anchor component={Link} to={back.to}>
        {back.label}
      </Anchor>
      <Title order={1} size="h2">
        {title}
      </Title>
      {intro && <Text size="sm">{intro}</Text>}
      {query?.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {query?.isError && <Alert color="red" role="alert" title={query.error.message} />}
      {query ? query.data && children(query.data) : children(undefined)}
    </Stack>
  );
}

/** A registry form's end: the API's refusal that no field shows (a 409: someone saved first),
 * and the button (create, or save an edit). */
export function FormEnd(props: {
  ns: string;
  save: { error: ApiError | null; isPending: boolean };
  fields: Iterable<string>;
  editing: boolean;
}) {
  const { ns, save, fields, editing } = props;
  const { t } = useTranslation();
  const shown = new Set(fields);
  const error = save.error;
  const conflict = error?.status === 409;
  return (
    <>
      {error && !error.fields.some((f) => shown.has(f.field)) && (
        <Alert color="red" role="alert" title={conflict ? t(`${ns}.conflict`) : error.message}>
          {conflict ? error.message : null}
        </Alert>
      )}
      <div>
        <Button type="submit" loading={save.isPending}>
          {editing ? t(`${ns}.save`) : t(`${ns}.create`)}
        </Button>
      </div>
    </>
  );
}
