import { Button, Group, NumberInput, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { Problem } from '../../components/Section';
import type { CostLine } from '../claims/api';
import { partName, placesFor, useParts, usePlaces } from './stockApi';

const PAYERS = ['warranty', 'customer', 'supplier'] as const;

interface PartBody {
  version: number;
  part_code: string;
  qty: number;
  location: string;
  payer?: string;
}

/** A spare part from stock for a service request (or some of one taken back): the API writes
 * the movement and the request's cost line together; the page then reads the request again. */
function useClaimPart(claimId: string) {
  const queryClient = useQueryClient();
  return useMutation<{ version: number }, ApiError, { back: boolean; body: PartBody }>({
    mutationFn: ({ back, body }) =>
      api(`/claims/${encodeURIComponent(claimId)}/parts${back ? '/return' : ''}`, { method: 'POST', body }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['claim', claimId] });
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
    },
  });
}

/** On a service request's costs: a part taken from a place's stock (the technician's own van
 * first), or taken back to one. */
/** What the request holds of each part taken from stock (its lines from stock, net of those
 * taken back). */
function heldParts(costs: CostLine[]): Map<string, number> {
  const held = new Map<string, number>();
  for (const line of costs) {
    if (line.kind !== 'part' || !line.from_stock || !line.part_code) continue;
    held.set(line.part_code, (held.get(line.part_code) ?? 0) + (line.amount_vnd > 0 ? line.quantity : -line.quantity));
  }
  return held;
}

export function ClaimStockParts({
  claimId,
  version,
  modelCode,
  desk,
  costs,
}: {
  claimId: string;
  version: number;
  modelCode: string;
  desk: boolean;
  costs: CostLine[];
}) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const username = session.status === 'signed_in' ? session.session.username : '';
  const company = session.status === 'signed_in' && session.session.roles.every((r) => r === 'service');
  const parts = useParts();
  const places = usePlaces();
  const send = useClaimPart(claimId);
  const allowed = placesFor(places.data ?? [], { desk, username, company });
  const [back, setBack] = useState(false);
  const [part, setPart] = useState<string | null>(null);
  const [qty, setQty] = useState<number | string>(1);
  const [place, setPlace] = useState<string | null>(null);
  const [payer, setPayer] = useState<string | null>('warranty');
  const chosenPlace = place ?? allowed.find((p) => p.holder !== null)?.location_id ?? null;
  const held = heldParts(costs);
  // using: the active parts that fit the unit; taking back: the parts the request holds
  const choices = back
    ? [...held.entries()]
        .filter(([, n]) => n > 0)
        .map(([code, n]) => {
          const known = (parts.data ?? []).find((p) => p.code === code);
          return { value: code, label: `${known ? partName(known, i18n.language) : code} (${code}) × ${String(n)}` };
        })
    : (parts.data ?? [])
        .filter((p) => p.active && (p.models.length === 0 || p.models.includes(modelCode)))
        .map((p) => ({ value: p.code, label: `${partName(p, i18n.language)} (${p.code})` }));
  const fieldError = (name: string) => send.error?.fields.find((f) => f.field === name)?.message;
  return (
    <Stack gap="xs" data-testid="claim-stock-parts">
      <Group justify="space-between" wrap="wrap">
        <Text fw={600}>{t('claim_parts.title')}</Text>
        <SegmentedControl
          size="xs"
          aria-label={t('claim_parts.mode')}
          data={[
            { value: 'use', label: t('claim_parts.use') },
            { value: 'back', label: t('claim_parts.back') },
          ]}
          value={back ? 'back' : 'use'}
          onChange={(value) => {
            setBack(value === 'back');
            setPart(null);
          }}
        />
      </Group>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Select
          label={t('claim_parts.part')}
          data={choices}
          value={part}
          onChange={setPart}
          searchable
          error={fieldError('part_code')}
          style={{ flex: '1 1 14rem' }}
        />
        <NumberInput label={t('claim_parts.qty')} min={1} max={1000} allowDecimal={false} value={qty} onChange={setQty} error={fieldError('qty')} w={90} />
        <Select
          label={back ? t('claim_parts.place_back') : t('claim_parts.place')}
          data={allowed.map((p) => ({ value: p.location_id, label: `${p.name} (${p.location_id})` }))}
          value={chosenPlace}
          onChange={setPlace}
          error={fieldError('location')}
          w={220}
        />
        {!back && (
          <Select
            label={t('claims.cost_payer')}
            data={PAYERS.map((p) => ({ value: p, label: t(`claims.payers.${p}`) }))}
            value={payer}
            onChange={setPayer}
            allowDeselect={false}
            w={150}
          />
        )}
        <Button
          variant="light"
          disabled={!part || !chosenPlace}
          loading={send.isPending}
          onClick={() => {
            if (!part || !chosenPlace) return;
            const body: PartBody = { version, part_code: part, qty: Number(qty), location: chosenPlace, ...(back ? {} : { payer: payer ?? 'warranty' }) };
            send.mutate(
              { back, body },
              {
                onSuccess: () => {
                  setPart(null);
                  setQty(1);
                  notifications.show({ color: 'green', message: t(back ? 'claim_parts.done_back' : 'claim_parts.done_use'), closeButtonProps: { 'aria-label': t('tickets.close') } });
                },
              },
            );
          }}
        >
          {back ? t('claim_parts.back_submit') : t('claim_parts.use_submit')}
        </Button>
      </Group>
      <Problem error={send.error} />
    </Stack>
  );
}
