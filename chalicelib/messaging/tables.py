"""Messaging's tables: the Zalo OA token pair, inbound messages already answered, Zalo users."""

from __future__ import annotations

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.settings import get_settings
from chalicelib.platform.dynamodb import TableMeta

_settings = get_settings()


class ProviderTokenRecord(Model):
    """Key: ``token_id``, the provider and its account (``zalo#<oa_id>``). One item per account:
    the current access/refresh pair, ``version`` and the refresh lease.

    Why a table: Zalo's refresh token is single-use (docs/reference/zalo.md#token-refresh). Two
    Lambdas refreshing at once would spend it twice, and the OA would need a person to re-consent,
    so a refresh first takes a lease (``lease_until``, ``lease_owner``) conditional on ``version``,
    then writes the new pair and ``version + 1`` in one conditional update
    (:class:`chalicelib.messaging.token_repository.ZaloTokenStore`).

    The tokens are secrets: infra encrypts every table at rest with KMS (``SSESpecification``),
    only the functions that send through the provider may read the item, and nothing logs a
    token (``TokenPair`` keeps them out of its ``repr``)."""

    class Meta(TableMeta):
        table_name = _settings.table_name("provider_tokens")

    token_id = UnicodeAttribute(hash_key=True)
    access_token = UnicodeAttribute()
    refresh_token = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute()
    version = NumberAttribute(default=0)
    lease_until = UTCDateTimeAttribute(null=True)
    lease_owner = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class InboundSenderIndex(GlobalSecondaryIndex["InboundMessageRecord"]):
    """The texts of one sender (their number's key): a person's erasure finds theirs with one
    query, never a scan. Sparse: ``sender_key`` is written only for a non-empty sender (a Zalo
    chat's is signed, "", which no index key may be)."""

    class Meta:
        index_name = "sender_index"
        projection = KeysOnlyProjection()

    sender_key = UnicodeAttribute(hash_key=True)


class InboundMessageRecord(Model):
    """Key: ``inbound_id`` = ``<provider>#<provider's message id>`` (an eSMS MO ``smsid``, a Zalo
    ``msg_id``). One small item per inbound message already answered: a provider that delivers
    the same message again gets the stored ``reply`` and nothing is activated twice. Claimed
    (``outcome`` ``in_progress``) with a conditional put before anything is acted on, then
    answered over the claim; ``expires`` (the TTL) is 72 h later, past any provider's retries.
    ``sender``: the key (HMAC) of the number of the first delivery, ``""`` for a channel whose
    sender is signed (Zalo): an eSMS ``sign`` does not cover ``sender``, so a replay from
    another number gets no answer."""

    class Meta(TableMeta):
        table_name = _settings.table_name("inbound")

    inbound_id = UnicodeAttribute(hash_key=True)
    reply = UnicodeAttribute(default="")
    outcome = UnicodeAttribute()
    sender = UnicodeAttribute(null=True)  # None: stored before senders were kept
    sender_key = UnicodeAttribute(null=True)  # = sender when not "" (sender_index)
    expires = TTLAttribute()

    sender_index = InboundSenderIndex()


class ZaloUserPhoneIndex(GlobalSecondaryIndex["ZaloUserRecord"]):
    """The Zalo users who shared one phone (its key, HMAC): a person's erasure finds theirs
    with one query, never a scan. Sparse: items saved before the key was kept have none (the
    devstack's ``migrations.py`` backfills them)."""

    class Meta:
        index_name = "phone_index"
        projection = KeysOnlyProjection()

    phone_key = UnicodeAttribute(hash_key=True)


class ZaloUserRecord(Model):
    """Key: ``user_id``, a Zalo user's id for our OA (``sender.id`` of the OA's webhook events).
    The phone (E.164) and name the user shared with the OA (``user_submit_info``: Zalo-verified,
    unlike a number typed in a chat), so ``BH <serial>`` written to the OA activates for that
    phone. One item per user, overwritten by a later share."""

    class Meta(TableMeta):
        table_name = _settings.table_name("zalo_users")

    user_id = UnicodeAttribute(hash_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    shared_at = UTCDateTimeAttribute()
    phone_key = UnicodeAttribute(null=True)  # HMAC of ``phone`` (phone_index)

    phone_index = ZaloUserPhoneIndex()
