"""Devstack-only migrations: saved data from an older model, brought up to the current one.

The emulator starts empty and its tables are created from the current models
(:func:`devstack.provision.create_tables`, which also adds an index a model gained), so a new
table or index needs nothing here. What does is data the new code expects and the old code
never wrote. Each migration runs on every start after the restore and before the stream pollers
take their iterators (so its writes are not delivered to the handlers); each is idempotent and
may scan, which no deployed function may.

- ``units.batch_key``: the sparse ``batch_index`` key, set by the code that registers units
  since label sheets; units saved before carry only ``batch``.
- ``units.brand_id``: the key of ``brand_serial_index`` and ``activation_index`` (the console's
  units list), set by the code that registers units since the list; units saved before have
  none and would be missing from the list.
- ``customers.search_keys``: ``brand_id`` and the sparse ``name_index`` key ``name_folded``,
  written by every activation since the console's customer search; customers saved before carry
  neither (a deployed stage needs the same backfill once, by a one-off job: a Lambda never scans).
- ``claims.assignee_state_key``: the sparse ``assignee_state_index`` key and the per-assignee
  state counters (a technician's or a company's own board), kept by every write since; routed
  requests saved before have neither.
- ``rewards.payable``: the sparse ``payable_index`` key (the month of an entry owed and in no
  payout), set by approvals since the accountant's payouts; entries approved before have none
  and no payout batch would find them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)


def backfill_batch_keys(dynamodb: Any, table_name: str) -> int:
    """``batch_key = batch`` on each unit with a batch and no ``batch_key``; returns how many.

    ``{"serial": "GAR1", "batch": "L-07"}`` → ``{"serial": "GAR1", "batch": "L-07",
    "batch_key": "L-07"}``; a unit with ``batch`` ``""`` stays out of the index.
    """
    from chalicelib.catalog.tables import UnitRecord

    names = {
        "#serial": UnitRecord.serial.attr_name,
        "#batch": UnitRecord.batch.attr_name,
        "#batch_key": UnitRecord.batch_key.attr_name,
    }
    pending: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "TableName": table_name,
        "ProjectionExpression": "#serial, #batch",
        "FilterExpression": "attribute_not_exists(#batch_key) AND #batch <> :empty",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": {":empty": {"S": ""}},
    }
    while True:
        page = dynamodb.scan(**kwargs)
        pending.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    updated = 0
    for item in pending:
        serial_name, batch_name = names["#serial"], names["#batch"]
        try:
            dynamodb.update_item(
                TableName=table_name,
                Key={serial_name: item[serial_name]},
                UpdateExpression="SET #batch_key = :batch",
                ConditionExpression="attribute_not_exists(#batch_key) AND #batch = :batch",
                ExpressionAttributeNames={k: v for k, v in names.items() if k != "#serial"},
                ExpressionAttributeValues={":batch": item[batch_name]},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            continue  # changed since the scan: whatever changed it set what it needs
        updated += 1
    return updated


def backfill_unit_brands(dynamodb: Any, table_name: str, brand_id: str) -> int:
    """``brand_id`` on each unit without one; returns how many.

    ``{"serial": "GAR1"}`` → ``{"serial": "GAR1", "brand_id": "demo"}``.
    """
    pending: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "TableName": table_name,
        "ProjectionExpression": "#serial",
        "FilterExpression": "attribute_not_exists(#brand)",
        "ExpressionAttributeNames": {"#serial": "serial", "#brand": "brand_id"},
    }
    while True:
        page = dynamodb.scan(**kwargs)
        pending.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    updated = 0
    for item in pending:
        try:
            dynamodb.update_item(
                TableName=table_name,
                Key={"serial": item["serial"]},
                UpdateExpression="SET #brand = :brand",
                ConditionExpression="attribute_exists(#serial) AND attribute_not_exists(#brand)",
                ExpressionAttributeNames={"#serial": "serial", "#brand": "brand_id"},
                ExpressionAttributeValues={":brand": {"S": brand_id}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            continue
        updated += 1
    return updated


def _scan_all(dynamodb: Any, **kwargs: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = dynamodb.scan(**kwargs)
        items.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def backfill_customer_search_keys(dynamodb: Any, table_name: str, brand_id: str) -> int:
    """``brand_id`` (the stage's brand: one brand per stage) and ``name_folded`` on each customer
    without them; returns how many changed.

    ``{"customer_key": "9f…", "name": "Trần Thị Bình"}`` → ``{…, "brand_id": "demo",
    "name_folded": "tran thi binh"}``; a customer without a name gets ``brand_id`` only.
    """
    from chalicelib.core.text import fold_name

    pending = _scan_all(
        dynamodb,
        TableName=table_name,
        ProjectionExpression="customer_key, #name",
        FilterExpression="attribute_not_exists(brand_id) OR "
        "(attribute_not_exists(name_folded) AND #name <> :empty)",
        ExpressionAttributeNames={"#name": "name"},
        ExpressionAttributeValues={":empty": {"S": ""}},
    )
    updated = 0
    for item in pending:
        name = item.get("name", {}).get("S", "")
        folded = fold_name(name)
        values: dict[str, Any] = {":brand": {"S": brand_id}, ":name": {"S": name}}
        expression = "SET brand_id = if_not_exists(brand_id, :brand)"
        if folded:
            expression += ", name_folded = :folded"
            values[":folded"] = {"S": folded}
        try:
            dynamodb.update_item(
                TableName=table_name,
                Key={"customer_key": item["customer_key"]},
                UpdateExpression=expression,
                ConditionExpression="#name = :name",
                ExpressionAttributeNames={"#name": "name"},
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            continue  # renamed since the scan: the activation that did it wrote the keys
        updated += 1
    return updated


def backfill_payable_months(dynamodb: Any, table_name: str) -> int:
    """``payable`` = ``period`` on each ``approved`` or ``payment_failed`` entry without it;
    returns how many changed (conditional on the state still being one of those)."""
    pending = _scan_all(
        dynamodb,
        TableName=table_name,
        ProjectionExpression="entry_id",
        FilterExpression="attribute_not_exists(payable) AND #state IN (:approved, :failed)",
        ExpressionAttributeNames={"#state": "state"},
        ExpressionAttributeValues={
            ":approved": {"S": "approved"},
            ":failed": {"S": "payment_failed"},
        },
    )
    updated = 0
    for item in pending:
        try:
            dynamodb.update_item(
                TableName=table_name,
                Key={"entry_id": item["entry_id"]},
                UpdateExpression="SET payable = period",
                ConditionExpression="#state IN (:approved, :failed)",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":approved": {"S": "approved"},
                    ":failed": {"S": "payment_failed"},
                },
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            continue
        updated += 1
    return updated


def backfill_claim_assignees(dynamodb: Any, claims: str, counts: str) -> int:
    """``assignee_state_key`` (the sparse ``assignee_state_index`` key: state + ``#`` + the
    state's key) on each routed request without it, counted once in its assignee's state
    counter (``state#<state>#<assignee_key>``) in the same transaction; returns how many.

    ``{"state": "routed", "state_key": "2026-03-01T02:00:00+00:00#SR-1", "assignee_key":
    "tech#an"}`` → ``assignee_state_key`` ``"routed#2026-03-01T02:00:00+00:00#SR-1"``, and
    ``state#routed#tech#an`` + 1.
    """
    pending = _scan_all(
        dynamodb,
        TableName=claims,
        ProjectionExpression="claim_id, #state, state_key, assignee_key",
        FilterExpression="attribute_exists(assignee_key) "
        "AND attribute_not_exists(assignee_state_key)",
        ExpressionAttributeNames={"#state": "state"},
    )
    updated = 0
    for item in pending:
        state, assignee = item["state"]["S"], item["assignee_key"]["S"]
        try:
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": claims,
                            "Key": {"claim_id": item["claim_id"]},
                            "UpdateExpression": "SET assignee_state_key = :key",
                            "ConditionExpression": "attribute_not_exists(assignee_state_key) "
                            "AND #state = :state AND assignee_key = :assignee",
                            "ExpressionAttributeNames": {"#state": "state"},
                            "ExpressionAttributeValues": {
                                ":key": {"S": f"{state}#{item['state_key']['S']}"},
                                ":state": {"S": state},
                                ":assignee": {"S": assignee},
                            },
                        }
                    },
                    {
                        "Update": {
                            "TableName": counts,
                            "Key": {"name": {"S": f"state#{state}#{assignee}"}},
                            "UpdateExpression": "ADD #total :one",
                            "ExpressionAttributeNames": {"#total": "total"},
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                ]
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            continue  # moved since the scan: the move wrote the key and the counter itself
        updated += 1
    return updated


def backfill_zalo_phone_keys(dynamodb: Any, table_name: str, pepper: Callable[[], bytes]) -> int:
    """``phone_key`` (HMAC of ``phone``, the erasure's index) on each Zalo user without it;
    returns how many changed. ``pepper`` is read only when a user lacks the key."""
    from chalicelib.core.phone import phone_key

    pending = _scan_all(
        dynamodb,
        TableName=table_name,
        ProjectionExpression="user_id, phone",
        FilterExpression="attribute_not_exists(phone_key)",
    )
    updated = 0
    for item in pending:
        phone = item.get("phone", {}).get("S", "")
        try:
            dynamodb.update_item(
                TableName=table_name,
                Key={"user_id": item["user_id"]},
                UpdateExpression="SET phone_key = :key",
                ConditionExpression="phone = :phone",
                ExpressionAttributeValues={
                    ":key": {"S": phone_key(pepper(), phone)},
                    ":phone": {"S": phone},
                },
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            continue  # shared again since the scan: that save wrote the key
        updated += 1
    return updated


def migrate_saved_data(dynamodb: Any) -> dict[str, int]:
    """Every migration, in order; returns the items each changed (logged when any)."""
    from chalicelib.catalog.tables import CustomerRecord, UnitRecord
    from chalicelib.claims.tables import ClaimCountRecord, ClaimRecord
    from chalicelib.core.settings import get_settings
    from chalicelib.messaging.tables import ZaloUserRecord
    from chalicelib.partners.reward_tables import RewardRecord
    from chalicelib.platform import wiring as platform_wiring

    units = UnitRecord.Meta.table_name
    changed = {
        "units.batch_key": backfill_batch_keys(dynamodb, units),
        "units.brand_id": backfill_unit_brands(dynamodb, units, get_settings().brand_id),
        "customers.search_keys": backfill_customer_search_keys(
            dynamodb, CustomerRecord.Meta.table_name, get_settings().brand_id
        ),
        "rewards.payable": backfill_payable_months(dynamodb, RewardRecord.Meta.table_name),
        "claims.assignee_state_key": backfill_claim_assignees(
            dynamodb, ClaimRecord.Meta.table_name, ClaimCountRecord.Meta.table_name
        ),
        "zalo_users.phone_key": backfill_zalo_phone_keys(
            dynamodb, ZaloUserRecord.Meta.table_name, lambda: platform_wiring.secrets().pepper
        ),
    }
    for migration, count in changed.items():
        if count:
            logger.info("saved data migrated", extra={"migration": migration, "items": count})
    return changed
