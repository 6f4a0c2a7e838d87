import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Drawer,
  Group,
  Loader,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Problem } from '../../components/Section';
import { useRoles } from '../../auth/session';
import { useUrlFilters } from '../../components/useUrlFilters';
import { actorName, formatDateTime, formatVnd } from '../format';
import {
  KEEPERS,
  LOCATION_KINDS,
  MOVE_KINDS,
  partName,
  useAddPlace,
  useMove,
  useMovements,
  useParts,
  usePlaces,
  useSavePart,
  useStock,
  type LocationKind,
  type MoveKind,
  type Part,
} from './stockApi';

function shown(message: string, close: string) {
  notifications.show({ color: 'green', message, closeButtonProps: { 'aria-label': close } });
}

const vndInput = { min: 0, step: 1000, thousandSeparator: '.', decimalSeparator: ',', allowDecimal: false } as const;

/** A part's movements, the latest first (a drawer over the page). */
function Movements({ code, onClose }: { code: string; onClose: () => void }) {
  const { t } = useTranslation();
  const movements = useMovements(code);
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={t('stock.movements_of', { code })} closeButtonProps={{ 'aria-label': t('tickets.close') }}>
      {movements.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {movements.isError && <Alert color="red" role="alert" title={movements.error.message} />}
      {movements.data && movements.data.length === 0 && <Text c="dimmed">{t('stock.no_movements')}</Text>}
      {movements.data && movements.data.length > 0 && (
        <Table striped aria-label={t('stock.movements_of', { code })} data-testid="movements">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('stock.when')}</Table.Th>
              <Table.Th>{t('stock.kind_label')}</Table.Th>
              <Table.Th ta="right">{t('stock.qty')}</Table.Th>
              <Table.Th>{t('stock.from_to')}</Table.Th>
              <Table.Th>{t('stock.by')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {movements.data.map((m) => (
              <Table.Tr key={m.movement_id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.at)}</Table.Td>
                <Table.Td>
                  {t(`stock.kind.${m.kind}`)}
                  {m.ticket_id && (
                    <Text size="xs">
                      <Link to={`/maintenance/tickets/${m.ticket_id}`}>{m.ticket_id}</Link>
                    </Text>
                  )}
                  {m.reason && (
                    <Text size="xs" c="dimmed">
                      {m.reason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">{m.qty}</Table.Td>
                <Table.Td>{[m.from, m.to].map((x) => x ?? '—').join(' → ')}</Table.Td>
                <Table.Td>{actorName(m.by)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Drawer>
  );
}

/** On hand: one place or every place, with each line's value at cost and the short ones. */
function OnHand({ onPart }: { onPart: (code: string) => void }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useUrlFilters(['location', 'short'] as const);
  const places = usePlaces();
  const stock = useStock(filters.location, filters.short === '1');
  const placeName = (id: string) => places.data?.find((p) => p.location_id === id)?.name ?? id;
  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('stock.place')}
          placeholder={t('stock.every_place')}
          data={(places.data ?? []).map((p) => ({ value: p.location_id, label: `${p.name} (${p.location_id})` }))}
          value={filters.location || null}
          onChange={(value) => {
            setFilters({ location: value ?? '' });
          }}
          clearable
          w={280}
        />
        <Checkbox
          label={t('stock.short_only')}
          checked={filters.short === '1'}
          onChange={(event) => {
            setFilters({ short: event.currentTarget.checked ? '1' : '' });
          }}
          mb={8}
        />
      </Group>
      {stock.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {stock.isError && <Alert color="red" role="alert" title={stock.error.message} />}
      {stock.data && (
        <>
          <Group gap="lg">
            <Text>
              {t('stock.value_total')}: <b data-testid="stock-value">{formatVnd(stock.data.value_vnd)}</b>
            </Text>
            <Text c={stock.data.short ? 'red' : undefined}>
              {t('stock.short_count', { n: stock.data.short })}
            </Text>
          </Group>
          {stock.data.lines.length === 0 ? (
            <Text c="dimmed">{t('stock.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped aria-label={t('stock.on_hand_title')} data-testid="stock-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('stock.place')}</Table.Th>
                    <Table.Th>{t('stock.part')}</Table.Th>
                    <Table.Th ta="right">{t('stock.on_hand')}</Table.Th>
                    <Table.Th ta="right">{t('stock.min_stock')}</Table.Th>
                    <Table.Th ta="right">{t('stock.value')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {stock.data.lines.map((line) => (
                    <Table.Tr key={`${line.location_id}#${line.part_code}`}>
                      <Table.Td>{placeName(line.location_id)}</Table.Td>
                      <Table.Td>
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          px={0}
                          onClick={() => {
                            onPart(line.part_code);
                          }}
                        >
                          {line.part_code}
                        </Button>
                        <Text size="xs" c="dimmed">
                          {partName(line, i18n.language)}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {line.on_hand} {line.unit}{' '}
                        {line.short && (
                          <Badge color="red" variant="light">
                            {t('stock.short')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{line.min_stock}</Table.Td>
                      <Table.Td ta="right">{formatVnd(line.value_vnd)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Stack>
  );
}

/** A receipt, a transfer or an adjustment, by a stock keeper. */
function MoveForm() {
  const { t, i18n } = useTranslation();
  const parts = useParts();
  const places = usePlaces();
  const move = useMove();
  const [kind, setKind] = useState<MoveKind>('receipt');
  const [part, setPart] = useState<string | null>(null);
  const [qty, setQty] = useState<number | string>(1);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [direction, setDirection] = useState<'up' | 'down'>('up');
  const [reason, setReason] = useState('');
  const [cost, setCost] = useState<number | string>('');
  const placeOptions = (places.data ?? []).map((p) => ({ value: p.location_id, label: `${p.name} (${p.location_id})` }));
  const partOptions = (parts.data ?? []).filter((p) => p.active).map((p) => ({ value: p.code, label: `${p.code} · ${partName(p, i18n.language)}` }));
  const fieldError = (name: string) => move.error?.fields.find((f) => f.field === name)?.message;
  const showFrom = kind === 'transfer' || (kind === 'adjustment' && direction === 'down');
  const showTo = kind !== 'adjustment' || direction === 'up';
  const source = showFrom ? from : null;
  const target = showTo ? to : null;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!part) return;
        move.mutate(
          {
            kind,
            part_code: part,
            qty: Number(qty),
            from: source ?? undefined,
            to: target ?? undefined,
            reason: reason.trim() || undefined,
            unit_cost_vnd: kind === 'receipt' && cost !== '' ? Number(cost) : undefined,
          },
          {
            onSuccess: () => {
              shown(t('stock.moved'), t('tickets.close'));
              setReason('');
            },
          },
        );
      }}
    >
      <Stack gap="sm" maw={560} data-testid="move-form">
        <SegmentedControl
          aria-label={t('stock.kind_label')}
          w="fit-content"
          data={MOVE_KINDS.map((k) => ({ value: k, label: t(`stock.kind.${k}`) }))}
          value={kind}
          onChange={(value) => {
            setKind(value);
            move.reset();
          }}
        />
        <Problem error={move.error && !move.error.fields.length ? move.error : null} />
        <Select label={t('stock.part')} data={partOptions} value={part} onChange={setPart} searchable required error={fieldError('part_code')} />
        <NumberInput label={t('stock.qty')} min={1} max={100000} allowDecimal={false} value={qty} onChange={setQty} required error={fieldError('qty')} />
        {kind === 'adjustment' && (
          <SegmentedControl
            aria-label={t('stock.direction')}
            w="fit-content"
            data={[
              { value: 'up', label: t('stock.up') },
              { value: 'down', label: t('stock.down') },
            ]}
            value={direction}
            onChange={(value) => {
              setDirection(value === 'down' ? 'down' : 'up');
            }}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {showFrom && <Select label={t('stock.from')} data={placeOptions} value={from} onChange={setFrom} required error={fieldError('from')} />}
          {showTo && <Select label={t('stock.to')} data={placeOptions} value={to} onChange={setTo} required error={fieldError('to')} />}
        </SimpleGrid>
        {kind === 'receipt' && <NumberInput label={t('stock.unit_cost')} description={t('stock.unit_cost_hint')} {...vndInput} value={cost} onChange={setCost} />}
        <TextInput
          label={kind === 'adjustment' ? t('stock.reason') : t('stock.note')}
          required={kind === 'adjustment'}
          maxLength={300}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
          }}
          error={fieldError('reason')}
        />
        <Button type="submit" w="fit-content" loading={move.isPending} disabled={!part}>
          {t('stock.record')}
        </Button>
      </Stack>
    </form>
  );
}

const EMPTY: Part = {
  code: '',
  name: '',
  name_en: '',
  unit: 'cái',
  cost_vnd: 0,
  price_vnd: 0,
  models: [],
  min_stock: 0,
  active: true,
  version: 0,
  updated_by: '',
  updated_at: null,
};

function PartEditor({ part, onClose }: { part: Part; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSavePart();
  const [draft, setDraft] = useState(part);
  const [models, setModels] = useState(part.models.join(', '));
  const set = (changes: Partial<Part>) => {
    setDraft((current) => ({ ...current, ...changes }));
  };
  const fieldError = (name: string) => save.error?.fields.find((f) => f.field === name)?.message;
  return (
    <Modal opened onClose={onClose} title={part.version ? t('stock.edit_part', { code: part.code }) : t('stock.new_part')} closeButtonProps={{ 'aria-label': t('tickets.close') }}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const { code, name, name_en, unit, cost_vnd, price_vnd, min_stock, active } = draft;
          save.mutate(
            {
              code: code.trim(),
              body: {
                version: part.version,
                name,
                name_en,
                unit,
                cost_vnd,
                price_vnd,
                min_stock,
                active,
                models: models.split(',').map((m) => m.trim()).filter(Boolean),
              },
            },
            {
              onSuccess: () => {
                shown(t('stock.part_saved'), t('tickets.close'));
                onClose();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Problem error={save.error && !save.error.fields.length ? save.error : null} />
          <TextInput label={t('stock.code')} value={draft.code} disabled={part.version > 0} required onChange={(e) => { set({ code: e.currentTarget.value }); }} />
          <TextInput label={t('stock.name')} value={draft.name} required onChange={(e) => { set({ name: e.currentTarget.value }); }} error={fieldError('name')} />
          <TextInput label={t('stock.name_en')} value={draft.name_en} onChange={(e) => { set({ name_en: e.currentTarget.value }); }} error={fieldError('name_en')} />
          <SimpleGrid cols={2}>
            <TextInput label={t('stock.unit')} value={draft.unit} required onChange={(e) => { set({ unit: e.currentTarget.value }); }} error={fieldError('unit')} />
            <NumberInput label={t('stock.min_stock')} min={0} allowDecimal={false} value={draft.min_stock} onChange={(v) => { set({ min_stock: Number(v) || 0 }); }} />
            <NumberInput label={t('stock.cost')} {...vndInput} value={draft.cost_vnd} onChange={(v) => { set({ cost_vnd: Number(v) || 0 }); }} />
            <NumberInput label={t('stock.price')} {...vndInput} value={draft.price_vnd} onChange={(v) => { set({ price_vnd: Number(v) || 0 }); }} />
          </SimpleGrid>
          <TextInput label={t('stock.models')} description={t('stock.models_hint')} value={models} onChange={(e) => { setModels(e.currentTarget.value); }} />
          <Switch label={t('stock.active')} checked={draft.active} onChange={(e) => { set({ active: e.currentTarget.checked }); }} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('tickets.close')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!draft.code.trim()}>
              {t('stock.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Catalogue({ keeper, onPart }: { keeper: boolean; onPart: (code: string) => void }) {
  const { t, i18n } = useTranslation();
  const parts = useParts();
  const [editing, setEditing] = useState<Part | null>(null);
  return (
    <Stack>
      {keeper && (
        <Button
          w="fit-content"
          onClick={() => {
            setEditing(EMPTY);
          }}
        >
          {t('stock.new_part')}
        </Button>
      )}
      {parts.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {parts.isError && <Alert color="red" role="alert" title={parts.error.message} />}
      {parts.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-label={t('stock.parts_title')} data-testid="parts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('stock.code')}</Table.Th>
                <Table.Th>{t('stock.name')}</Table.Th>
                <Table.Th ta="right">{t('stock.cost')}</Table.Th>
                <Table.Th ta="right">{t('stock.price')}</Table.Th>
                <Table.Th>{t('stock.models')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {parts.data.map((part) => (
                <Table.Tr key={part.code}>
                  <Table.Td>
                    {part.code}
                    {!part.active && (
                      <Badge ml="xs" color="gray" variant="light">
                        {t('stock.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {partName(part, i18n.language)}
                    <Text size="xs" c="dimmed">
                      {part.unit} · {t('stock.min_short', { n: part.min_stock })}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatVnd(part.cost_vnd)}</Table.Td>
                  <Table.Td ta="right">{formatVnd(part.price_vnd)}</Table.Td>
                  <Table.Td>{part.models.length ? part.models.join(', ') : t('stock.any_model')}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => {
                          onPart(part.code);
                        }}
                      >
                        {t('stock.movements')}
                      </Button>
                      {keeper && (
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => {
                            setEditing(part);
                          }}
                        >
                          {t('stock.edit')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <PartEditor
          key={editing.code}
          part={editing}
          onClose={() => {
            setEditing(null);
          }}
        />
      )}
    </Stack>
  );
}

function Places({ keeper }: { keeper: boolean }) {
  const { t } = useTranslation();
  const places = usePlaces();
  const add = useAddPlace();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<LocationKind>('warehouse');
  const [holder, setHolder] = useState('');
  const fieldError = (field: string) => add.error?.fields.find((f) => f.field === field)?.message;
  return (
    <Stack>
      {places.data && (
        <Table striped aria-label={t('stock.places_title')} data-testid="places-table" maw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('stock.code')}</Table.Th>
              <Table.Th>{t('stock.name')}</Table.Th>
              <Table.Th>{t('stock.place_kind')}</Table.Th>
              <Table.Th>{t('stock.holder')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {places.data.map((p) => (
              <Table.Tr key={p.location_id}>
                <Table.Td>{p.location_id}</Table.Td>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{t(`stock.place_kind_name.${p.kind}`)}</Table.Td>
                <Table.Td>{p.holder ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {keeper && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate(
              { location_id: id.trim(), name: name.trim(), kind, holder: kind === 'warehouse' ? null : holder.trim() },
              {
                onSuccess: () => {
                  shown(t('stock.place_added'), t('tickets.close'));
                  setId('');
                  setName('');
                  setHolder('');
                },
              },
            );
          }}
        >
          <Stack gap="sm" maw={560}>
            <Title order={2} size="h4">
              {t('stock.new_place')}
            </Title>
            <Problem error={add.error && !add.error.fields.length ? add.error : null} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('stock.code')} value={id} required onChange={(e) => { setId(e.currentTarget.value); }} error={fieldError('location_id')} />
              <TextInput label={t('stock.name')} value={name} required onChange={(e) => { setName(e.currentTarget.value); }} error={fieldError('name')} />
              <Select
                label={t('stock.place_kind')}
                data={LOCATION_KINDS.map((k) => ({ value: k, label: t(`stock.place_kind_name.${k}`) }))}
                value={kind}
                allowDeselect={false}
                onChange={(value) => {
                  if (value) setKind(value);
                }}
              />
              {kind !== 'warehouse' && (
                <TextInput label={t('stock.holder')} description={t(`stock.holder_hint.${kind}`)} value={holder} required onChange={(e) => { setHolder(e.currentTarget.value); }} error={fieldError('holder')} />
              )}
            </SimpleGrid>
            <Button type="submit" w="fit-content" loading={add.isPending}>
              {t('stock.add_place')}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** Spare parts and stock: what is on hand where (value, shortages), the catalogue, the
 * places, and the keepers' receipts, transfers and adjustments; a part's movements open
 * beside. */
export function StockPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const keeper = roles.some((r) => KEEPERS.includes(r));
  const [filters, setFilters] = useUrlFilters(['view'] as const);
  const view = ['parts', 'places', 'move'].includes(filters.view) ? filters.view : 'stock';
  const [part, setPart] = useState('');
  const views = ['stock', 'parts', 'places', ...(keeper ? ['move'] : [])];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('stock.title')}
      </Title>
      <SegmentedControl
        aria-label={t('tickets.view')}
        w="fit-content"
        data={views.map((v) => ({ value: v, label: t(`stock.view.${v}`) }))}
        value={view}
        onChange={(value) => {
          setFilters({ view: value === 'stock' ? '' : value });
        }}
      />
      {view === 'stock' && <OnHand onPart={setPart} />}
      {view === 'parts' && <Catalogue keeper={keeper} onPart={setPart} />}
      {view === 'places' && <Places keeper={keeper} />}
      {view === 'move' && keeper && <MoveForm />}
      {part && (
        <Movements
          code={part}
          onClose={() => {
            setPart('');
          }}
        />
      )}
    </Stack>
  );
}
