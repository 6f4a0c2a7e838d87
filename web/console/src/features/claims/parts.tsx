import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDay } from '../format';
import { localPhone, maskPhone, type ClaimState, type ClaimSummary, type VerdictStatus } from './api';

type Tone = 'info' | 'warn' | 'ok' | 'bad' | 'muted';

// The shared tokens' colours (text over its own background: AA at badge size).
const TONES: Record<Tone, [string, string]> = {
  info: ['var(--info)', 'var(--info-bg)'],
  warn: ['var(--warn)', 'var(--warn-bg)'],
  ok: ['var(--ok)', 'var(--ok-bg)'],
  bad: ['var(--bad)', 'var(--bad-bg)'],
  muted: ['var(--muted)', 'var(--card)'],
};

const STATE_TONES: Partial<Record<ClaimState, Tone>> = {
  new: 'info',
  triaged: 'info',
  reopened: 'warn',
  quoted: 'warn',
  quote_accepted: 'info',
  quote_declined: 'muted',
  waiting_parts: 'warn',
  rejected: 'bad',
  ready_for_return: 'ok',
  returned: 'ok',
  confirmed: 'ok',
  closed: 'muted',
  cancelled: 'muted',
};

const VERDICT_TONES: Record<VerdictStatus, Tone> = {
  in_warranty: 'ok',
  out_of_warranty: 'bad',
  needs_inspection: 'warn',
};

function ToneBadge({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  const [ink, background] = TONES[tone];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background, textTransform: 'none', flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } }} data-testid={testId}>
      {children}
    </Badge>
  );
}

export function StateBadge({ state }: { state: ClaimState }) {
  const { t } = useTranslation();
  return <ToneBadge tone={STATE_TONES[state] ?? 'info'}>{t(`claims.state.${state}`)}</ToneBadge>;
}

export function VerdictBadge({ status }: { status: VerdictStatus | null }) {
  const { t } = useTranslation();
  if (!status) return <ToneBadge tone="muted">{t('claims.verdict_none')}</ToneBadge>;
  return (
    <ToneBadge tone={VERDICT_TONES[status]} testId="verdict-badge">
      {t(`claims.verdict.${status}`)}
    </ToneBadge>
  );
}

export function BreachedBadge() {
  const { t } = useTranslation();
  return <ToneBadge tone="bad">{t('claims.breached')}</ToneBadge>;
}

/** A fact of the request: its name small above its value. */
export function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text component="div" size="sm">
        {children}
      </Text>
    </div>
  );
}

/** `50` hours → "2 days 2 h" (how long the request has been in its state). */
export function ageText(hours: number, t: TFunction): string {
  if (hours < 24) return t('claims.age_hours', { hours });
  return t('claims.age_days', { days: Math.floor(hours / 24), hours: hours % 24 });
}

export function customerText(claim: Pick<ClaimSummary, 'customer_name' | 'customer_phone'>, fullPhone: boolean): string {
  const phone = claim.customer_phone ? (fullPhone ? localPhone(claim.customer_phone) : maskPhone(claim.customer_phone)) : '';
  return phone ? `${claim.customer_name} · ${phone}` : claim.customer_name;
}

export function assigneeText(claim: Pick<ClaimSummary, 'assignee_key' | 'assignee_name'>, t: TFunction): string {
  if (!claim.assignee_key) return t('claims.unassigned');
  return claim.assignee_name ?? claim.assignee_key;
}

/** A request on the board or in "my requests": what it is, whose, where it stands and how long
 * it has waited (red past its SLA). The reference opens it; outside the board (a column per
 * state) it shows its state. */
export function ClaimCard({ claim, fullPhone, withState = false }: { claim: ClaimSummary; fullPhone: boolean; withState?: boolean }) {
  const { t } = useTranslation();
  return (
    <Card
      component="li"
      withBorder
      padding="sm"
      radius="sm"
      data-testid="claim-card"
      style={claim.breached ? { borderInlineStart: '4px solid var(--bad)' } : undefined}
    >
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Anchor component={Link} to={`/claims/${encodeURIComponent(claim.claim_id)}`} fw={700} ff="monospace">
            {claim.claim_id}
          </Anchor>
          <VerdictBadge status={claim.verdict} />
        </Group>
        {withState && (
          <div>
            <StateBadge state={claim.state} />
          </div>
        )}
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {claim.model_name || claim.model_code} · <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{claim.serial}</span>
        </Text>
        <Text size="sm">{customerText(claim, fullPhone)}</Text>
        <Group gap={6}>
          <Text size="xs">{t(`claims.type.${claim.claim_type}`)}</Text>
          <Text size="xs">·</Text>
          <Text size="xs">{assigneeText(claim, t)}</Text>
        </Group>
        <Group gap={6}>
          <Text size="xs" c={claim.breached ? 'var(--bad)' : undefined} fw={claim.breached ? 700 : undefined}>
            {ageText(claim.ageing_hours, t)}
          </Text>
          {claim.breached && <BreachedBadge />}
          {claim.expected_return && <Text size="xs">{t('claims.expected_return_short', { day: formatDay(claim.expected_return) })}</Text>}
        </Group>
      </Stack>
    </Card>
  );
}
