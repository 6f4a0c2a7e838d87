"""PynamoDB models, one per table: the single source of truth for keys, indexes, streams and TTL.

``infra/`` generates the CloudFormation tables from these classes and the devstack creates the
emulator's tables from them, so the code, the emulator and AWS cannot disagree.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.settings import get_settings

_settings = get_settings()


class _Meta:
    region = _settings.region
    billing_mode = "PAY_PER_REQUEST"


class BrandRecord(Model):
    """Key: ``brand_id``. One item per brand: its name, serial prefix and the serial sequence
    counter (reserved in ranges with one atomic ADD, so generation never double-issues a
    serial). The hotline is a stage setting (``GARANTI_HOTLINE``), not stored here."""

    class Meta(_Meta):
        table_name = _settings.table_name("brands")

    brand_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    serial_prefix = UnicodeAttribute()
    next_sequence = NumberAttribute(default=0)
    theme = MapAttribute[str, Any](default=dict)  # the portal's look (BrandTheme); {} = defaults
    # The brand's own label templates (``domain.labels``), one JSON document keyed by name;
    # ``label_templates_version`` guards a read-modify-write against a concurrent edit.
    label_templates = UnicodeAttribute(null=True)
    label_templates_version = NumberAttribute(default=0)


class CatalogIndex(GlobalSecondaryIndex["ProductModelRecord"]):
    """A brand's models in code order: listing the catalog is a query, never a scan."""

    class Meta:
        index_name = "catalog_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class ProductModelRecord(Model):
    """Key: model ``code``. ``unit_count`` is kept by the same transactions that add units, so
    "delete only while no unit uses it" is one conditional delete, never a scan."""

    class Meta(_Meta):
        table_name = _settings.table_name("models")

    code = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    image_url = UnicodeAttribute(default="")
    specs = MapAttribute[str, Any](default=dict)
    warranty_months = NumberAttribute()
    start_basis = UnicodeAttribute()
    max_months_from_manufacture = NumberAttribute(null=True)
    activation_deadline_days = NumberAttribute(null=True)
    unit_count = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    catalog_index = CatalogIndex()


class HistoryEntry(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    event = UnicodeAttribute()
    by = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class OwnerIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: only activated units carry ``owner_key`` (HMAC of the owner's phone), so "my
    units" is one query and the raw phone never appears in a key."""

    class Meta:
        index_name = "owner_index"
        projection = AllProjection()

    owner_key = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class BatchIndex(GlobalSecondaryIndex["UnitRecord"]):
    """Sparse: only units made in a named batch carry ``batch_key`` (DynamoDB keys may not be
    empty), so a batch's serials, in serial order, are one paginated query (label sheets)."""

    class Meta:
        index_name = "batch_index"
        projection = KeysOnlyProjection()

    batch_key = UnicodeAttribute(hash_key=True)
    serial = UnicodeAttribute(range_key=True)


class UnitRecord(Model):
    """Key: ``serial``. One item per physical unit; activation is one conditional update on it.
    Its stream drives every consequence of activation."""

    class Meta(_Meta):
        table_name = _settings.table_name("units")
        stream_view_type = "NEW_AND_OLD_IMAGES"

    serial = UnicodeAttribute(hash_key=True)
    model_code = UnicodeAttribute()
    status = UnicodeAttribute()
    batch = UnicodeAttribute(default="")
    batch_key = UnicodeAttribute(null=True)  # = batch when it is not empty (batch_index)
    manufactured_on = UnicodeAttribute(null=True)
    shipped_on = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    activated_at = UTCDateTimeAttribute(null=True)
    warranty_start = UnicodeAttribute(null=True)
    warranty_end = UnicodeAttribute(null=True)
    warranty_reason = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    language = UnicodeAttribute(null=True)
    owner_key = UnicodeAttribute(null=True)
    owner_name = UnicodeAttribute(null=True)
    owner_phone = UnicodeAttribute(null=True)
    owner_province = UnicodeAttribute(null=True)
    owner_address = UnicodeAttribute(null=True)
    history = ListAttribute[HistoryEntry](of=HistoryEntry, default=list)

    owner_index = OwnerIndex()
    batch_index = BatchIndex()


class ConsentEntry(MapAttribute[str, Any]):
    """Evidence of one consent decision (Decree 13 / PDPL: per purpose, reproducible)."""

    granted = BooleanAttribute()
    at = UTCDateTimeAttribute()
    channel = UnicodeAttribute()
    notice_version = UnicodeAttribute()
    evidence = UnicodeAttribute()


class CustomerRecord(Model):
    """Key: ``customer_key`` = HMAC(pepper, E.164 phone). Name and one consent record per
    purpose (top-level attributes, so an upsert never needs the item to exist first)."""

    class Meta(_Meta):
        table_name = _settings.table_name("customers")

    customer_key = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute()
    consent_warranty_service = ConsentEntry(null=True)
    consent_marketing = ConsentEntry(null=True)
    updated_at = UTCDateTimeAttribute()


class OtpRecord(Model):
    """Key: ``phone_key``. The one live challenge per phone and its recent send times; the code
    is stored as an HMAC. ``expires`` is the TTL (reads also check it: TTL deletes late)."""

    class Meta(_Meta):
        table_name = _settings.table_name("otp")

    phone_key = UnicodeAttribute(hash_key=True)
    code_hash = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    code_expires_at = UTCDateTimeAttribute()
    attempts = NumberAttribute(default=0)
    used = BooleanAttribute(default=False)
    sends = ListAttribute[NumberAttribute](of=NumberAttribute, default=list)
    version = NumberAttribute(default=0)
    expires = TTLAttribute()


class RateLimitRecord(Model):
    """Key: ``bucket`` (what is counted, HMAC'd, plus the clock hour). Fixed-window counters,
    bumped inside the transaction of the action they limit; ``expires`` is the TTL."""

    class Meta(_Meta):
        table_name = _settings.table_name("rate_limits")

    bucket = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires = TTLAttribute()


class RecipientIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """A recipient's messages, newest first (the dev inbox and the console)."""

    class Meta:
        index_name = "recipient_index"
        projection = AllProjection()

    recipient_key = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class BrandMessagesIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """A brand's messages, newest first: the console's message list is a query, never a scan."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class ProviderRefIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """``<provider>#<provider message id>`` → the message: a delivery report that carries only
    the provider's id (Twilio ``MessageSid``, SpeedSMS ``tranId``) finds its message."""

    class Meta:
        index_name = "provider_index"
        projection = KeysOnlyProjection()

    provider_ref = UnicodeAttribute(hash_key=True)


class DueIndex(GlobalSecondaryIndex["NotificationRecord"]):
    """Sparse: only messages waiting on the clock carry ``due_state`` (``scheduled``: send
    after ``due_at``; ``sending``: the lease runs out at ``due_at``). The outbox sweep queries
    what is due; every other message is absent from the index."""

    class Meta:
        index_name = "due_index"
        projection = KeysOnlyProjection()

    due_state = UnicodeAttribute(hash_key=True)
    due_at = UTCDateTimeAttribute(range_key=True)


class MessageEventEntry(MapAttribute[str, Any]):
    at = UTCDateTimeAttribute()
    state = UnicodeAttribute()
    channel = UnicodeAttribute(default="")
    provider = UnicodeAttribute(default="")
    reason = UnicodeAttribute(default="")
    code = UnicodeAttribute(default="")


class NotificationRecord(Model):
    """The outbox. Key: ``message_id``, deterministic per business event
    (:func:`~chalicelib.outbox.kinds.message_id_for`), so a stream record delivered
    twice writes one message. Its stream drives the sender; every state change is a
    conditional update on ``status`` (and the sender's lease), so no two senders send one
    message (reference B1.4)."""

    class Meta(_Meta):
        table_name = _settings.table_name("notifications")
        stream_view_type = "NEW_AND_OLD_IMAGES"

    message_id = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute(null=True)
    recipient_key = UnicodeAttribute()
    recipient_phone = UnicodeAttribute()
    channel = UnicodeAttribute(default="")
    template = UnicodeAttribute()
    language = UnicodeAttribute()
    urgency = UnicodeAttribute(default="normal")
    fields = MapAttribute[str, Any](default=dict)
    text = UnicodeAttribute()
    subject = UnicodeAttribute(default="")
    status = UnicodeAttribute()
    provider = UnicodeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    provider_ref = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    channel_attempts = NumberAttribute(default=0)
    error_class = UnicodeAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    cost = NumberAttribute(null=True)
    cost_reported = BooleanAttribute(default=False)
    send_after = UTCDateTimeAttribute(null=True)
    due_state = UnicodeAttribute(null=True)
    due_at = UTCDateTimeAttribute(null=True)
    lease_owner = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    accepted_at = UTCDateTimeAttribute(null=True)
    delivered_at = UTCDateTimeAttribute(null=True)
    failed_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    events = ListAttribute[MessageEventEntry](of=MessageEventEntry, default=list)
    expires = TTLAttribute(null=True)

    recipient_index = RecipientIndex()
    brand_index = BrandMessagesIndex()
    provider_index = ProviderRefIndex()
    due_index = DueIndex()


class ProviderTokenRecord(Model):
    """Key: ``token_id``, the provider and its account (``zalo#<oa_id>``). One item per account:
    the current access/refresh pair, ``version`` and the refresh lease.

    Why a table: Zalo's refresh token is single-use (reference A1.3). Two Lambdas refreshing at
    once would spend it twice, and the OA would need a person to re-consent, so a refresh first
    takes a lease (``lease_until``, ``lease_owner``) conditional on ``version``, then writes the
    new pair and ``version + 1`` in one conditional update
    (:class:`chalicelib.messaging.token_repository.ZaloTokenStore`).

    The tokens are secrets: infra encrypts every table at rest with KMS (``SSESpecification``),
    only the functions that send through the provider may read the item, and nothing logs a
    token (``TokenPair`` keeps them out of its ``repr``)."""

    class Meta(_Meta):
        table_name = _settings.table_name("provider_tokens")

    token_id = UnicodeAttribute(hash_key=True)
    access_token = UnicodeAttribute()
    refresh_token = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute()
    version = NumberAttribute(default=0)
    lease_until = UTCDateTimeAttribute(null=True)
    lease_owner = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class InboundMessageRecord(Model):
    """Key: ``inbound_id`` = ``<provider>#<provider's message id>`` (an eSMS MO ``smsid``, a Zalo
    ``msg_id``). One small item per inbound message already answered: a provider that delivers
    the same message again gets the stored ``reply`` and nothing is activated twice. Written
    with a conditional put; ``expires`` (the TTL) is 72 h later, past any provider's retries."""

    class Meta(_Meta):
        table_name = _settings.table_name("inbound")

    inbound_id = UnicodeAttribute(hash_key=True)
    reply = UnicodeAttribute(default="")
    outcome = UnicodeAttribute()
    expires = TTLAttribute()


class ZaloUserRecord(Model):
    """Key: ``user_id``, a Zalo user's id for our OA (``sender.id`` of the OA's webhook events).
    The phone (E.164) and name the user shared with the OA (``user_submit_info``: Zalo-verified,
    unlike a number typed in a chat), so ``BH <serial>`` written to the OA activates for that
    phone. One item per user, overwritten by a later share."""

    class Meta(_Meta):
        table_name = _settings.table_name("zalo_users")

    user_id = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    shared_at = UTCDateTimeAttribute()


class LabelJobsByBrandIndex(GlobalSecondaryIndex["LabelJobRecord"]):
    """A brand's label jobs, newest first (the console's list)."""

    class Meta:
        index_name = "brand_index"
        projection = AllProjection()

    brand_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class LabelJobRecord(Model):
    """Key: ``job_id``. One label-sheet job: what to print (``selection``), the template it was
    asked with (a snapshot, so a later edit of the template changes no running job), progress,
    and the PDF it wrote to the uploads bucket. Its stream starts the job outside the request
    (``on_label_job_change``); the run claims it with a conditional update and a lease, so a
    stream record delivered twice renders once. ``expires`` (TTL) drops it after 30 days."""

    class Meta(_Meta):
        table_name = _settings.table_name("label_jobs")
        stream_view_type = "NEW_IMAGE"

    job_id = UnicodeAttribute(hash_key=True)
    brand_id = UnicodeAttribute()
    status = UnicodeAttribute()
    template = UnicodeAttribute()  # JSON: the resolved LabelTemplate
    selection = UnicodeAttribute()  # JSON: batch / range / list (a list's serials are in S3)
    language = UnicodeAttribute(default="vi")
    total = NumberAttribute(default=0)
    done = NumberAttribute(default=0)
    skipped = NumberAttribute(default=0)
    skipped_sample = ListAttribute[str](default=list)
    pages = NumberAttribute(default=0)
    output_key = UnicodeAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)  # claims of the current run (a crash is retried once)
    runs = NumberAttribute(default=0)  # runs that went on where the previous one stopped
    upload_id = UnicodeAttribute(null=True)  # the PDF's multipart upload, part by run
    parts = UnicodeAttribute(null=True)  # JSON [[number, etag], …] of the parts uploaded
    state_key = UnicodeAttribute(null=True)  # the suspended writer's state and position (S3)
    lease_until = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()

    brand_index = LabelJobsByBrandIndex()


ALL_TABLES: tuple[type[Model], ...] = (
    BrandRecord,
    ProductModelRecord,
    UnitRecord,
    CustomerRecord,
    OtpRecord,
    RateLimitRecord,
    NotificationRecord,
    ProviderTokenRecord,
    InboundMessageRecord,
    ZaloUserRecord,
    LabelJobRecord,
)
