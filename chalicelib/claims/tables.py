"""Service requests' tables: one item per request (its state, verdict, routing, costs) and one
item per change of it (the history, never edited).

A move is one transaction: the request's update, conditional on the ``version`` it was read at
(two people moving it at once: one wins, the other is told), and the history item numbered by
the new version (conditional on its absence). The requests' stream tells the customer (one
message per move, keyed by request and version) and feeds the audit trail.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class ClaimListIndex(GlobalSecondaryIndex["ClaimRecord"]):
    """Every request by creation time (``listed`` is the constant ``claim``): the table view and
    its date range are one query."""

    class Meta:
        index_name = "list_index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)  # ISO instant + id: unique, sortable


class ClaimStateIndex(GlobalSecondaryIndex["ClaimRecord"]):
    """The requests in one state, oldest move first: a board column is one query, paged."""

    class Meta:
        index_name = "state_index"
        projection = AllProjection()

    state = UnicodeAttribute(hash_key=True)
    state_key = UnicodeAttribute(range_key=True)  # ISO instant of entering the state + id


class ClaimAssigneeIndex(GlobalSecondaryIndex["ClaimRecord"]):
    """Sparse: the requests routed to one technician (``tech#<username>``) or one service
    company (``company#<id>``), latest change first: "my requests", and a company's only view."""

    class Meta:
        index_name = "assignee_index"
        projection = AllProjection()

    assignee_key = UnicodeAttribute(hash_key=True)
    updated_key = UnicodeAttribute(range_key=True)


class ClaimAssigneeStateIndex(GlobalSecondaryIndex["ClaimRecord"]):
    """Sparse: one technician's or company's requests by state, the longest there first: the
    board of a caller who sees only their own (a column is one query, paged)."""

    class Meta:
        index_name = "assignee_state_index"
        projection = AllProjection()

    assignee_key = UnicodeAttribute(hash_key=True)
    assignee_state_key = UnicodeAttribute(range_key=True)  # state + "#" + state_key


class ClaimSerialIndex(GlobalSecondaryIndex["ClaimRecord"]):
    """A unit's requests (its warranty history, repeat repairs)."""

    class Meta:
        index_name = "serial_index"
        projection = AllProjection()

    serial = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class ClaimCustomerIndex(GlobalSecondaryIndex["ClaimRecord"]):
    """A customer's requests (``customer_phone`` in E.164): "my products" and personal data."""

    class Meta:
        index_name = "customer_index"
        projection = AllProjection()

    customer_phone = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class ReasonMap(MapAttribute[str, Any]):
    code = UnicodeAttribute()  # a catalogue key (both languages), e.g. ``warranty_ended``
    params = MapAttribute[str, Any](default=dict)  # e.g. {"day": "2026-01-31", "months": 24}


class VerdictMap(MapAttribute[str, Any]):
    status = UnicodeAttribute()  # in_warranty | out_of_warranty | needs_inspection
    reasons = ListAttribute(of=ReasonMap, default=list)
    rules_version = UnicodeAttribute()  # a digest of the terms the verdict was made under
    decided_at = UTCDateTimeAttribute()
    overridden_by = UnicodeAttribute(null=True)  # the director, with a required reason
    override_reason = UnicodeAttribute(null=True)
    status_before_override = UnicodeAttribute(null=True)


class PhotoMap(MapAttribute[str, Any]):
    key = UnicodeAttribute()  # the cleaned photo's key in the uploads bucket
    state = UnicodeAttribute()  # uploaded | ready | refused
    by = UnicodeAttribute()  # customer | staff username | company user
    at = UTCDateTimeAttribute()


class CostLineMap(MapAttribute[str, Any]):
    """One cost or revenue line, appended, never edited (a correction is a line of its own)."""

    line_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # part | labour | travel | revenue
    description = UnicodeAttribute()
    part_code = UnicodeAttribute(null=True)
    movement_id = UnicodeAttribute(null=True)  # a part from stock: its movement
    quantity = NumberAttribute(default=1)
    amount_vnd = NumberAttribute()  # integer VND, the line's total (negative corrects a line)
    payer = UnicodeAttribute()  # warranty | customer | supplier (revenue: customer)
    by = UnicodeAttribute()
    at = UTCDateTimeAttribute()


class ClaimRecord(Model):
    """Key: ``claim_id`` (``SR-`` + 8 Crockford base32, upper case: the reference the customer
    reads out on the phone). ``version`` counts the writes; every write is conditional on it."""

    class Meta(TableMeta):
        table_name = _settings.table_name("claims")
        stream_view_type = "NEW_AND_OLD_IMAGES"  # the customer's messages and the audit trail

    claim_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute()
    listed = UnicodeAttribute(default="claim")
    claim_type = UnicodeAttribute()  # repair | warranty | installation | maintenance | complaint
    channel = UnicodeAttribute()  # portal | console | zalo
    state = UnicodeAttribute()
    state_key = UnicodeAttribute()
    state_since = UTCDateTimeAttribute()
    due_at = UTCDateTimeAttribute(null=True)  # the current state's SLA deadline
    created_at = UTCDateTimeAttribute()
    created_key = UnicodeAttribute()
    created_by = UnicodeAttribute()  # customer | a staff username
    updated_at = UTCDateTimeAttribute()
    updated_key = UnicodeAttribute()

    serial = UnicodeAttribute()
    model_code = UnicodeAttribute()
    model_name = UnicodeAttribute(default="")
    category = UnicodeAttribute(default="")

    customer_name = UnicodeAttribute()
    customer_phone = UnicodeAttribute()
    customer_address = UnicodeAttribute(default="")
    customer_province = UnicodeAttribute(default="")
    language = UnicodeAttribute(default="vi")  # the customer's, for messages and the tracking page
    description = UnicodeAttribute()
    answers = MapAttribute[str, Any](default=dict)  # the configured form's extra fields
    preferred_time = UnicodeAttribute(default="")
    photos = ListAttribute(of=PhotoMap, default=list)

    verdict = VerdictMap(null=True)
    exclusions = ListAttribute(of=ReasonMap, default=list)  # selected by staff, with a reason

    routing = UnicodeAttribute(null=True)  # internal | outsourced
    assignee_key = UnicodeAttribute(null=True)  # tech#<username> | company#<id>: the GSI
    assignee_name = UnicodeAttribute(null=True)
    assignee_state_key = UnicodeAttribute(null=True)  # set with assignee_key: its board's key
    expected_return = UnicodeAttribute(null=True)  # ISO day
    appointment = UnicodeAttribute(null=True)  # ISO instant of a scheduled visit

    costs = ListAttribute(of=CostLineMap, default=list)
    quote_vnd = NumberAttribute(null=True)  # the paid repair's quoted price

    reopened_from = UnicodeAttribute(null=True)  # the state it was reopened from
    reopen_count = NumberAttribute(default=0)  # > 0: a repeat repair
    replacement_serial = UnicodeAttribute(null=True)  # the new unit that replaced this one
    rating = NumberAttribute(null=True)  # 1–5, the customer's, once returned
    rating_note = UnicodeAttribute(null=True)
    customer_confirmed = BooleanAttribute(default=False)
    outcome = UnicodeAttribute(null=True)  # repaired | replaced | no_fault_found | rejected | …
    updated_by = UnicodeAttribute(null=True)  # who made the last change: the audit's actor
    last_action = UnicodeAttribute(null=True)  # create | move | route | … (the history's)

    state_index = ClaimStateIndex()
    list_index = ClaimListIndex()
    assignee_index = ClaimAssigneeIndex()
    assignee_state_index = ClaimAssigneeStateIndex()
    serial_index = ClaimSerialIndex()
    customer_index = ClaimCustomerIndex()


class FieldChangeMap(MapAttribute[str, Any]):
    field = UnicodeAttribute()
    before = UnicodeAttribute(null=True)
    after = UnicodeAttribute(null=True)


class ClaimHistoryRecord(Model):
    """Key: ``claim_id`` + ``seq`` (the request's ``version`` after the change). One change:
    who, when, which move (``state_from`` → ``state_to``, equal for an edit without a move), the
    note and each field changed with its before and after. Written in the same transaction as the
    request, so the history and the request never disagree. ``visible``: the customer's
    timeline shows it."""

    class Meta(TableMeta):
        table_name = _settings.table_name("claim_history")

    claim_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()  # a staff username, a company user, "customer" or "system"
    actor = UnicodeAttribute()  # desk | assignee | customer | system (claims.states.Actor)
    action = UnicodeAttribute()  # create | move | verdict | override | route | cost | photo | …
    state_from = UnicodeAttribute(null=True)
    state_to = UnicodeAttribute()
    note = UnicodeAttribute(default="")
    changes = ListAttribute(of=FieldChangeMap, default=list)
    visible = BooleanAttribute(default=False)


class ClaimCountRecord(Model):
    """Key: ``name`` (``state#<state>``, and ``state#<state>#<assignee_key>`` for one
    technician's or company's requests). How many requests are in each state, changed in the
    same transaction as every create and move, so the board's column counts are one read
    instead of counting thousands of closed requests. A claims desk moves a few requests a
    second at most: one item per state is far from DynamoDB's per-item limit."""

    class Meta(TableMeta):
        table_name = _settings.table_name("claim_counts")

    name = UnicodeAttribute(hash_key=True)
    total = NumberAttribute(default=0)
