"""Staff routes for installer rewards: the reward rules (``/rewards/rules``: each change a new
version, audited) and the ledger by month (``/rewards``)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.audit.model import AuditEntry
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import FieldError, Invalid, NotFound
from chalicelib.core.settings import get_settings
from chalicelib.partners import reward_export_events, reward_service, service
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.reward_views import (
    entry_view,
    outcome_view,
    period_view,
    rule_version_view,
    rule_view,
)
from chalicelib.partners.rewards import PERIOD, Decision, EntryState
from chalicelib.partners.routes import request_id
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Principal, Role, authenticate
from chalicelib.platform.http import (
    JSON_ROUTE_TYPES,
    cors_for,
    json_response,
    language_of,
    maps_domain_errors,
    parse_request,
    query_int,
)
from chalicelib.platform.views import export_view

console_rewards = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

RULE_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.ACCOUNTANT})
RULE_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR})
LEDGER_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.ACCOUNTANT, Role.CS})
DECIDERS = frozenset({Role.ADMIN, Role.DIRECTOR})
RECONCILERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.ACCOUNTANT})
PHONE_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.ACCOUNTANT})  # cs: masked
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
MAX_BODY = 4096
_LEDGER_QUERY = frozenset({"period", "state", "limit", "cursor"})


def _staff(allowed: frozenset[str]) -> Principal:
    return authenticate(console_rewards.current_request, get_settings(), allowed)


def _change(principal: Principal) -> service.Change:
    return service.Change(
        principal.username, datetime.now(UTC), request_id(console_rewards.current_request)
    )


@console_rewards.route("/rewards/rules", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_reward_rules() -> Response:
    """Every rule: its latest version (what applies) and all its versions."""
    _staff(RULE_READERS)
    histories = reward_service.list_rules(rules=partner_wiring.reward_rule_repository())
    return json_response({"rules": [rule_view(h) for h in histories]})


@console_rewards.route(
    "/rewards/rules", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def save_reward_rule() -> Response:
    """A new rule (201), or with ``rule_id`` its next version (the old ones are kept)."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(RULE_WRITERS)
    request = parse_request(console_rewards.current_request, schemas.RewardRuleRequest, MAX_BODY)
    rules, trail = partner_wiring.reward_rule_repository(), audit_wiring.audit_trail()
    if request.rule_id is None:
        rule = reward_service.create_rule(
            request.terms(),
            _change(principal),
            models=catalog_wiring.model_repository(),
            rules=rules,
            trail=trail,
        )
    else:
        rule = reward_service.change_rule(
            request.rule_id, request.terms(), _change(principal), rules=rules, trail=trail
        )
    return json_response({"rule": rule_version_view(rule)}, status=201)


@console_rewards.route(
    "/rewards/rules/{rule_id}/end", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def end_reward_rule(rule_id: str) -> Response:
    """The rule's next version ends on ``valid_to`` (default today): it covers no later day."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(RULE_WRITERS)
    request = parse_request(console_rewards.current_request, schemas.RewardRuleEndRequest, MAX_BODY)
    change = _change(principal)
    rule = reward_service.end_rule(
        rule_id,
        request.valid_to or business_day(change.at),
        request.note,
        change,
        rules=partner_wiring.reward_rule_repository(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response({"rule": rule_version_view(rule)}, status=201)


def _ledger_query() -> dict[str, str]:
    params: dict[str, str] = dict(console_rewards.current_request.query_params or {})
    unknown = sorted(set(params) - _LEDGER_QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    if not PERIOD.fullmatch(params.get("period", "")):
        raise Invalid(fields=[FieldError("period", "reward_period_invalid")])
    return params


def _state(raw: str | None) -> EntryState | None:
    if not raw:
        return None
    try:
        return EntryState(raw)
    except ValueError:
        raise Invalid(fields=[FieldError("state", "reward_state_invalid")]) from None


@console_rewards.route("/rewards", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_rewards() -> Response:
    """``GET /rewards?period=YYYY-MM&state=&limit=&cursor=``: a month's entries, newest first,
    each with its partner's name."""
    _staff(LEDGER_READERS)
    params = _ledger_query()
    state = _state(params.get("state"))
    limit = query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range")
    scope = f"rewards-{params['period']}-{state.value if state else 'all'}"
    cursors = platform_wiring.cursors()
    page = reward_service.period_page(
        params["period"],
        state,
        limit=limit,
        after=cursors.decode(scope, params.get("cursor")),
        ledger=partner_wiring.reward_ledger(),
        partners=partner_wiring.partner_repository(),
    )
    return json_response(
        {
            "entries": [
                {**entry_view(e, staff=True), "partner_name": page.partner_names.get(e.partner_id)}
                for e in page.entries
            ],
            "next_cursor": cursors.encode(scope, page.after),
        }
    )


# -- the manager's reconciliation ---------------------------------------------------------------


def _messaging() -> reward_service.Messaging:
    return reward_service.Messaging(platform_wiring.secrets().pepper, get_settings().brand_id)


def _period(period: str) -> str:
    if not PERIOD.fullmatch(period):
        raise Invalid(fields=[FieldError("period", "reward_period_invalid")])
    return period


@console_rewards.route(
    "/rewards/{serial}/decision", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def decide_reward(serial: str) -> Response:
    """Approve or reject one entry (a note to reject, and to approve a held entry)."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(DECIDERS)
    request = parse_request(
        console_rewards.current_request, schemas.RewardDecisionRequest, MAX_BODY
    )
    entry = reward_service.decide_entry(
        serial,
        Decision(request.decision),
        request.note,
        _change(principal),
        ledger=partner_wiring.reward_ledger(),
        partners=partner_wiring.partner_repository(),
        trail=audit_wiring.audit_trail(),
        messaging=_messaging(),
    )
    return json_response({"entry": entry_view(entry, staff=True)})


@console_rewards.route(
    "/rewards/decisions", methods=["POST"], content_types=JSON_ROUTE_TYPES, cors=CORS
)
@maps_domain_errors
def decide_rewards() -> Response:
    """The same decision on up to 100 entries: each serial's outcome (decided or refused)."""
    from chalicelib.partners import schemas  # pydantic: loaded by body routes on first use

    principal = _staff(DECIDERS)
    request = parse_request(
        console_rewards.current_request, schemas.RewardDecisionsRequest, MAX_BODY * 2
    )
    outcomes = reward_service.decide_entries(
        request.serials,
        Decision(request.decision),
        request.note,
        _change(principal),
        ledger=partner_wiring.reward_ledger(),
        partners=partner_wiring.partner_repository(),
        trail=audit_wiring.audit_trail(),
        messaging=_messaging(),
    )
    return json_response(
        {
            "outcomes": [outcome_view(o) for o in outcomes],
            "decided": sum(1 for o in outcomes if o.entry is not None),
            "refused": sum(1 for o in outcomes if o.entry is None),
        }
    )


@console_rewards.route("/rewards/periods/{period}", methods=["GET"], cors=CORS)
@maps_domain_errors
def reward_period(period: str) -> Response:
    """The month's counts and sums per state, its partners, and its lock."""
    _staff(RECONCILERS)
    report = reward_service.period_report(_period(period), ledger=partner_wiring.reward_ledger())
    return json_response({"period": period_view(report)})


@console_rewards.route("/rewards/periods/{period}/lock", methods=["POST"], cors=CORS)
@maps_domain_errors
def lock_reward_period(period: str) -> Response:
    """Sign the month off (409 ``period_has_undecided`` while entries wait for a decision)."""
    principal = _staff(DECIDERS)
    report = reward_service.lock_period(
        _period(period),
        _change(principal),
        ledger=partner_wiring.reward_ledger(),
        trail=audit_wiring.audit_trail(),
    )
    return json_response({"period": period_view(report)})


@console_rewards.route("/rewards/periods/{period}/export", methods=["POST"], cors=CORS)
@maps_domain_errors
def export_reward_period(period: str) -> Response:
    """The month as an Excel file, as a job (any length: the exports stream writes it): 202 and
    the job, to follow at ``GET /rewards/exports/{export_id}``."""
    from chalicelib.platform.export_jobs import new_job

    principal = _staff(RECONCILERS)
    month = _period(period)
    change = _change(principal)
    job = new_job(
        reward_export_events.KIND,
        {"period": month, "reveal_phone": "1" if principal.roles & PHONE_READERS else ""},
        language=language_of(console_rewards.current_request),
        by=principal.username,
        now=change.at,
        filename=f"rewards-{month}.xlsx",
        brand_id=get_settings().brand_id,
    )
    platform_wiring.export_jobs().create(job)
    audit_wiring.audit_trail().record(  # a list of partners' names and phones leaves the system
        AuditEntry(
            at=change.at,
            actor=change.actor,
            action="reward_period_exported",
            entity="reward_period",
            entity_id=month,
            source=change.source,
            after={"export_id": job.export_id},
        )
    )
    return json_response(export_view(job, platform_wiring.storage().download_url), status=202)


@console_rewards.route("/rewards/exports/{export_id}", methods=["GET"], cors=CORS)
@maps_domain_errors
def get_reward_export(export_id: str) -> Response:
    """A month's export: its progress; when done, a download link valid for 15 minutes. Only
    its own asker's role family reads it (the reconcilers)."""
    _staff(RECONCILERS)
    job = platform_wiring.export_jobs().get(export_id, reward_export_events.KIND)
    if job.brand_id != get_settings().brand_id:
        raise NotFound("reward_export_not_found")
    return json_response(export_view(job, platform_wiring.storage().download_url))
