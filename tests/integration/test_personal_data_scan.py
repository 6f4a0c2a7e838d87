"""A customer's erasure, checked from the outside: one customer is written through every flow
that stores a person (web, installer, Zalo OA and SMS activations, the "my products" code, a
service request moved by staff, a maintenance visit paid and completed, a staff reveal), with
the stream handlers run on the real stream records as in production; staff erase them; then
every table of the emulator is scanned, every item and attribute at any depth, for any trace of
their name (any case, with or without diacritics), their phone (any form) or their phone's key.
Another customer, written alongside, must be untouched, and the first customer's warranty facts
(unit, request, visit, receivable, reward) must stay as they were."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.warranty import business_day
from chalicelib.claims.tables import ClaimRecord
from chalicelib.core.phone import phone_key
from chalicelib.maintenance.stock_tables import ReceivableRecord
from chalicelib.maintenance.tables import MaintenanceTicketRecord
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.reward_tables import RewardRecord
from devstack.fakes.zalo import FakeZalo
from tests.integration.test_inbound_activation import (
    brand_messaging,
    mo,
    share_info,
    xml_reply,
    zalo,
    zalo_text,
)
from tests.integration.test_installer_rewards import given_partner, session_for
from tests.integration.test_maintenance_reminders import PLAN, link
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers

__all__ = ["zalo"]  # the fake Zalo's fixture, shared

NAME = "Trịnh Thị Hồng Nhung"
PHONE = "0908123456"
E164 = "+84908123456"
ADDRESS = "45 Nguyễn Trãi, Phường Bến Thành, Quận 1"
PROVINCE = "Hồ Chí Minh"

OTHER_NAME = "Phạm Văn Quyết"
OTHER_PHONE = "0977555111"
OTHER_E164 = "+84977555111"

S_WEB, S_PARTNER, S_ZALO, S_SMS, S_OTHER = (f"SN26000010{n}" for n in range(1, 6))

# Each table whose stream a handler reads, with the handler and its batch size (app.py).
HANDLERS: tuple[tuple[str, str, int], ...] = (
    (UnitRecord.Meta.table_name, "on_unit_change", 50),
    (NotificationRecord.Meta.table_name, "on_notification_change", 25),
    (ClaimRecord.Meta.table_name, "on_claim_change", 10),
    (RewardRecord.Meta.table_name, "on_reward_change", 50),
    (ReceivableRecord.Meta.table_name, "on_receivable_change", 50),
)


class Streams:
    """Every stream the app handles, delivered to its handler until no new record comes (a
    handler's writes are records of other streams: a unit's activation queues a message)."""

    def __init__(self, aws: Emulator) -> None:
        self._readers = [
            (StreamReader(aws, table), handler, size) for table, handler, size in HANDLERS
        ]

    def pump(self, *, strict: bool = True) -> list[str]:
        """Deliver until quiet; the records a handler failed (``strict``: none may fail)."""
        failed: list[str] = []
        for _ in range(8):
            delivered = False
            for reader, handler, size in self._readers:
                records = reader.new_records()
                for start in range(0, len(records), size):
                    batch = records[start : start + size]
                    result = deliver(handler, batch)
                    for sequence in failed_sequence_numbers(result):
                        [record] = [r for r in batch if r["dynamodb"]["SequenceNumber"] == sequence]
                        image = str(record["dynamodb"].get("NewImage", {}))
                        failed.append(f"{handler}: {record['eventName']} of {image[:600]}")
                    delivered = True
            if not delivered:
                assert not (strict and failed), failed
                return failed
        raise AssertionError("the streams never settled")


# --- what counts as a trace -------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no diacritics (``đ`` → ``d``), single spaces: how a name is compared."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def unescape(text: str) -> str:
    r"""A JSON text's ``\u1ecb`` escapes as the characters they stand for."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


_SEP = r"[\s.\-]?"


@dataclass(frozen=True)
class Person:
    name: str
    e164: str

    @property
    def key(self) -> str:
        return phone_key(f.PEPPER, self.e164)

    @property
    def phone_pattern(self) -> re.Pattern[str]:
        """The number as ``+84908123456``, ``84908123456``, ``0908123456`` or its nine national
        digits alone, with any single space, dot or dash between digits."""
        national = _SEP.join(self.e164.removeprefix("+84"))
        return re.compile(rf"(?<!\d)(?:\+?8{_SEP}4{_SEP}|0{_SEP})?{national}(?!\d)")

    def found_in(self, value: str) -> list[str]:
        """What of the person ``value`` holds: ``name``, ``phone``, ``phone_key``."""
        plain = unescape(value)
        found = []
        if fold(self.name) in fold(plain):
            found.append("name")
        if self.phone_pattern.search(plain):
            found.append("phone")
        if self.key[:16] in plain.lower():
            found.append("phone_key")
        return found


A = Person(NAME, E164)
B = Person(OTHER_NAME, OTHER_E164)


def _values(value: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
    """Every string in a DynamoDB attribute value (map keys included), with its path."""
    [(kind, inner)] = value.items()
    if kind in ("S", "N"):
        yield path, str(inner)
    elif kind == "B":
        yield path, bytes(inner).decode("utf-8", "replace")
    elif kind in ("SS", "NS"):
        for i, member in enumerate(inner):
            yield f"{path}<{i}>", str(member)
    elif kind == "BS":
        for i, member in enumerate(inner):
            yield f"{path}<{i}>", bytes(member).decode("utf-8", "replace")
    elif kind == "M":
        for name, member in inner.items():
            yield f"{path}.{name} (the key)", name
            yield from _values(member, f"{path}.{name}")
    elif kind == "L":
        for i, member in enumerate(inner):
            yield from _values(member, f"{path}[{i}]")


@dataclass(frozen=True)
class Hit:
    table: str
    item: str
    path: str
    what: tuple[str, ...]
    value: str

    def __str__(self) -> str:
        return f"{self.table} {self.item} {self.path}: {'+'.join(self.what)} in {self.value!r}"


def all_items(aws: Emulator) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(table, the item's key, the item) of every item of every table, every page."""
    client = aws.dynamodb
    tables: list[str] = []
    start: dict[str, Any] = {}
    while True:
        page = client.list_tables(**start)
        tables += page["TableNames"]
        if "LastEvaluatedTableName" not in page:
            break
        start = {"ExclusiveStartTableName": page["LastEvaluatedTableName"]}
    assert len(tables) >= 40, tables
    for table in tables:
        keys = [
            k["AttributeName"] for k in client.describe_table(TableName=table)["Table"]["KeySchema"]
        ]
        scan: dict[str, Any] = {"TableName": table}
        while True:
            page = client.scan(**scan)
            for item in page["Items"]:
                key = "/".join(str(next(iter(item[k].values()))) for k in keys if k in item)
                yield table, key, item
            if "LastEvaluatedKey" not in page:
                break
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def traces(aws: Emulator, person: Person) -> list[Hit]:
    hits = []
    for table, key, item in all_items(aws):
        for attribute, value in item.items():
            for path, text in [(f"{attribute} (the name)", attribute), *_values(value, attribute)]:
                what = person.found_in(text)
                if what:
                    hits.append(Hit(table, key, path, tuple(what), text[:160]))
    return hits


@dataclass(frozen=True)
class Stored:
    """Everything outside the tables the flows could have written: the bucket's objects and
    the delivery-failure queue's messages."""

    objects: dict[str, bytes]
    queued: list[str]


def stored_outside_tables(aws: Emulator) -> Stored:
    objects: dict[str, bytes] = {}
    for bucket in aws.s3.list_buckets()["Buckets"]:
        for page in aws.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
            for entry in page.get("Contents", []):
                body = aws.s3.get_object(Bucket=bucket["Name"], Key=entry["Key"])["Body"].read()
                objects[f"s3://{bucket['Name']}/{entry['Key']}"] = body
    queued: list[str] = []
    for url in aws.sqs.list_queues().get("QueueUrls", []):
        seen: set[str] = set()
        while True:
            page = aws.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0
            )
            fresh = [m for m in page.get("Messages", []) if m["MessageId"] not in seen]
            if not fresh:
                break
            seen.update(m["MessageId"] for m in fresh)
            queued += [f"{url}: {m['Body']}" for m in fresh]
    return Stored(objects, queued)


def traces_outside_tables(stored: Stored, person: Person) -> list[str]:
    hits = []
    for where, body in stored.objects.items():
        what = person.found_in(where) + person.found_in(body.decode("utf-8", "replace"))
        if what:
            hits.append(f"{where}: {'+'.join(what)}")
    for message in stored.queued:
        what = person.found_in(message)
        if what:
            hits.append(f"{message[:200]}: {'+'.join(what)}")
    return hits


# --- the flows --------------------------------------------------------------------------------


def customer(person: Person, **extra: str) -> dict[str, str]:
    return {"name": person.name, "phone": "0" + person.e164.removeprefix("+84"), **extra}


def web_activation(api: Api, serial: str, person: Person) -> None:
    body = f.activation_body(
        seed.token(serial),
        customer=customer(person, address=ADDRESS, province=PROVINCE),
        consents={"warranty_service": True, "marketing": True},
    )
    response = api.post("/public/activations", json_body=body)
    assert response.status_code == 201, response.body


def partner_activation(api: Api) -> None:
    """An approved installer activates S_PARTNER for the customer from the partner app, with
    notes that name them (as an installer writes them)."""
    partner_id = given_partner()
    body = {
        "serial": S_PARTNER,
        "customer": customer(A, address=ADDRESS, province=PROVINCE),
        "consents": {"warranty_service": True, "marketing": False},
        "installer": {
            "installed_on": business_day(datetime.now(UTC)).isoformat(),
            "store": "Điện máy Xanh Q1",
            "notes": f"Lắp cho chị {NAME}, gọi 0908 123 456 trước khi đến",
        },
    }
    session = session_for(partner_id)
    response = api.post("/partner/activations", json_body=body, token=session)
    assert response.status_code == 201, response.body
    # the installer then opens a case about the unit, naming its owner (as they write them)
    case = {
        "kind": "service",
        "serial": S_PARTNER,
        "subject": f"Chị {NAME} báo máy kêu",
        "text": f"Khách {fold(NAME)} hẹn sáng mai, số 0908.123.456.",
    }
    opened = api.post("/partner/cases", json_body=case, token=session)
    assert opened.status_code == 201, opened.body


def service_request(api: Api, staff: StaffTokens, serial: str, person: Person) -> str:
    """A request from the portal whose texts name the person, moved by staff with a note."""
    national = person.e164.removeprefix("+84")
    spaced = f"0{national[:3]} {national[3:6]} {national[6:]}"
    body = {
        "serial": serial,
        "sig": seed.token(serial),
        "claim_type": "warranty",
        "customer": customer(person, address=ADDRESS, province=PROVINCE),
        "description": f"Máy chảy nước. Tôi là {person.name}, gọi {spaced} giờ hành chính.",
        "preferred_time": f"Sáng thứ Bảy, gọi {person.e164} trước",
    }
    filed = api.post("/service-requests", json_body=body)
    assert filed.status_code == 201, filed.body
    claim_id = filed.json_body["claim_id"]
    version = api.get(f"/claims/{claim_id}", token=staff("cs")).json_body["claim"]["version"]
    moved = api.post(
        f"/claims/{claim_id}/moves",
        json_body={
            "to": "triaged",
            "version": version,
            "note": f"Đã gọi {fold(person.name).title()} qua số 0{national[:3]}-{national[3:6]}-"
            f"{national[6:]}, hẹn kiểm tra.",
        },
        token=staff("cs"),
    )
    assert moved.status_code == 200, moved.body
    return str(claim_id)


def paid_visit(api: Api, staff: StaffTokens, streams: Streams) -> dict[str, Any]:
    """The customer books S_WEB's filter visit from the reminder's link with a note naming
    them; the desk assigns it; the technician works it, collects a payment, has the customer
    confirm (their name) and completes it: the ticket as the technician last read it."""
    day = (business_day(datetime.now(UTC)) + timedelta(days=2)).isoformat()
    note = f"Gọi chị {NAME} (0908.123.456) trước khi đến"
    booked = api.post(link(S_WEB), json_body={"action": "book", "day": day, "note": note})
    assert booked.status_code == 200, booked.body
    cs, tech = staff("cs"), staff("technician")
    [listed] = [
        t
        for t in api.get("/maintenance/tickets?status=new", token=cs).json_body["tickets"]
        if t["serial"] == S_WEB
    ]
    ticket = api.get(f"/maintenance/tickets/{listed['ticket_id']}", token=cs).json_body

    def step(token: str, action: str, **body: Any) -> dict[str, Any]:
        response = api.post(
            f"/maintenance/tickets/{ticket['ticket_id']}/{action}",
            json_body={"version": ticket["version"], **body},
            token=token,
        )
        assert response.status_code == 200, (action, response.body)
        return dict(response.json_body)

    ticket = step(cs, "assign", assignee="tech#technician")
    ticket = step(tech, "start")
    ticket = step(
        tech,
        "work",
        notes=f"Vệ sinh lưới lọc; chị Nhung (0908 123 456) có ở nhà, {NAME} ký nhận.",
        labour_vnd=50_000,
        payment={"amount_vnd": 200_000, "method": "cash"},
        confirmed_by=NAME,
    )
    ticket = step(tech, "complete")
    streams.pump()
    return ticket


def sign_in_by_code(api: Api, streams: Streams, person: Person) -> str:
    """The "my products" session from the code the outbox sent to the person's phone."""
    phone = "0" + person.e164.removeprefix("+84")
    assert api.post("/public/otp", json_body={"phone": phone}).status_code == 202
    streams.pump()
    [sent, *_] = [
        m
        for m in NotificationRepository().list_for_recipient(person.key, datetime.now(UTC))
        if m.template == "lookup_code"
    ]
    code = re.findall(r"\b\d{6}\b", sent.text)[0]
    answer = api.post("/public/otp/verify", json_body={"phone": phone, "code": code})
    assert answer.status_code == 200, answer.body
    return str(answer.json_body["lookup_token"])


def tables_of(hits: list[Hit]) -> set[str]:
    return {h.table for h in hits}


def short(table: str) -> str:
    return table.removeprefix("garanti-local-")


# --- the test ---------------------------------------------------------------------------------


def test_an_erased_customer_leaves_no_trace_in_any_table_and_the_warranty_facts_stay(
    api: Api, aws: Emulator, staff: StaffTokens, zalo: FakeZalo
) -> None:
    # Given the model (with a maintenance plan), five units, an installer's reward rule and a
    # brand that takes SMS and Zalo texts
    seed.model("AC-9")
    planned = api.put("/models/AC-9/maintenance-plan", json_body=PLAN, token=staff("cs"))
    assert planned.status_code == 200, planned.body
    seed.units([S_WEB, S_PARTNER, S_ZALO, S_SMS, S_OTHER])
    rule = {"model_code": "AC-9", "amount": 50_000, "valid_from": "2026-01-01", "priority": 1}
    assert api.post("/rewards/rules", json_body=rule, token=staff("admin")).status_code == 201
    brand_messaging(aws, zalo)
    streams = Streams(aws)
    streams.pump()

    # When the customer activates on the web, through an installer, by Zalo and by SMS
    web_activation(api, S_WEB, A)
    streams.pump()
    partner_activation(api)
    streams.pump()
    assert share_info(api, phone="84908123456", name=NAME).status_code == 200
    assert zalo_text(api, f"BH {S_ZALO}", msg_id="pd-zalo-1").status_code == 200
    streams.pump()
    assert xml_reply(mo(api, f"BH {S_SMS}", smsid="MO901", sender="84908123456"))["Message"]
    streams.pump()
    # and another customer activates theirs; both file a service request that staff move
    web_activation(api, S_OTHER, B)
    streams.pump()
    claim_id = service_request(api, staff, S_WEB, A)
    other_claim_id = service_request(api, staff, S_OTHER, B)
    streams.pump()
    # and the customer's filter visit is booked, worked, paid and completed
    ticket = paid_visit(api, staff, streams)
    # and customer service reveals the customer in the console
    revealed = api.post(f"/customers/{A.key}/reveal", token=staff("cs"))
    assert (revealed.status_code, revealed.json_body["name"]) == (200, NAME)
    # and the customer signs in to "my products" by a code
    session = sign_in_by_code(api, streams, A)

    units_before = {s: UnitRecord.get(s) for s in (S_WEB, S_PARTNER, S_ZALO, S_SMS)}
    assert {s: (u.status, u.channel) for s, u in units_before.items()} == {
        S_WEB: ("activated", "web"),
        S_PARTNER: ("activated", "partner"),
        S_ZALO: ("activated", "zalo"),
        S_SMS: ("activated", "sms"),
    }
    claim_before = ClaimRecord.get(claim_id)
    ticket_before = MaintenanceTicketRecord.get(ticket["ticket_id"])
    month = str(ticket_before.done_on)[:7]
    receivable_before = ReceivableRecord.get(month, ticket["ticket_id"])
    reward_before = RewardRecord.get(S_PARTNER)
    templates = {
        m.template for m in NotificationRepository().list_for_recipient(A.key, datetime.now(UTC))
    }
    assert {"activation_confirmed", "claim_received", "lookup_code"} <= templates, templates
    # the scan sees the customer everywhere the flows put them (it would find a trace)
    before = traces(aws, A)
    seen = {short(t) for t in tables_of(before)}
    expected = {"units", "customers", "notifications", "zalo_users", "claims", "claim_history",
                "maintenance_tickets", "maintenance_ticket_history", "receivables", "audit",
                "rewards", "inbound"}  # fmt: skip
    assert expected <= seen, (sorted(expected - seen), sorted(seen))

    # When the customer asks for erasure and customer service carries it out
    asked = api.post("/public/my-data/erasure", token=session, json_body={"confirm": True})
    assert asked.status_code == 202, asked.body
    request_id = asked.json_body["request"]["request_id"]
    erased = api.post(f"/privacy/requests/{request_id}/erase", token=staff("cs"))
    # what the erasure's writes set off, as in production (a failed record is redelivered
    # by Lambda: checked below, after the scan, so one run tells everything)
    stream_failures = streams.pump(strict=False)

    # Then the request is done, with what changed in each part
    assert erased.status_code == 200, erased.body
    done = erased.json_body["request"]
    counts = done["erased"]
    assert (done["status"], done["handled_by"]) == ("done", "cs"), done
    assert counts == {
        "units": 4,  # web, installer, Zalo, SMS
        "customer": 1,
        "claims": 1,
        "maintenance": 1,  # the ticket (the booking's note left the line when it was done)
        "rewards": 1,
        "cases": 1,  # the installer's case about the unit, its words scrubbed
        "audit": 1,  # the reveal
        "zalo": 1,
        "inbound": 1,  # the SMS (a Zalo text's sender is empty)
        "codes": 1,
        "messages": 6,  # four confirmations, the request's notice, the code
    }, counts

    # and no table holds the customer's name, phone or phone's key, anywhere
    after = traces(aws, A)
    stored = stored_outside_tables(aws)
    outside = traces_outside_tables(stored, A)
    assert after == [] and outside == [], (
        f"{len(after)} trace(s) of the erased customer:\n"
        + "\n".join(str(h) for h in after)
        + "\noutside the tables:\n"
        + "\n".join(outside)
        + f"\n(objects: {sorted(stored.objects)}; queued: {len(stored.queued)})"
    )

    # and the streams took the erasure's changes without a failure
    assert stream_failures == [], "\n".join(stream_failures)

    # and the other customer is untouched
    other = {short(t) for t in tables_of(traces(aws, B))}
    assert {"units", "customers", "claims", "claim_history"} <= other, sorted(other)
    assert ClaimRecord.get(other_claim_id).customer_name == OTHER_NAME
    assert UnitRecord.get(S_OTHER).owner_phone == OTHER_E164

    # and the customer's warranty facts stay
    for serial, unit in units_before.items():
        now = UnitRecord.get(serial)
        assert (now.status, now.warranty_end, now.channel, now.owner_province) == (
            "activated",
            unit.warranty_end,
            unit.channel,
            unit.owner_province,
        ), serial
        assert now.warranty_end
    claim_after = ClaimRecord.get(claim_id)
    assert (claim_after.state, claim_after.serial, claim_after.claim_type) == (
        claim_before.state,
        S_WEB,
        "warranty",
    )
    assert claim_after.customer_province == claim_before.customer_province
    ticket_after = MaintenanceTicketRecord.get(ticket["ticket_id"])
    assert (ticket_after.status, ticket_after.done_on, int(ticket_after.labour_vnd)) == (
        "done",
        ticket_before.done_on,
        50_000,
    )
    assert ticket_after.payment is not None and int(ticket_after.payment.amount_vnd) == 200_000
    receivable_after = ReceivableRecord.get(month, ticket["ticket_id"])
    assert (int(receivable_after.amount_vnd), int(receivable_after.collected_vnd)) == (
        int(receivable_before.amount_vnd),
        int(receivable_before.collected_vnd),
    )
    assert int(receivable_after.amount_vnd) == 200_000
    reward_after = RewardRecord.get(S_PARTNER)
    assert (reward_after.state, int(reward_after.amount)) == (
        reward_before.state,
        int(reward_before.amount),
    )
    assert int(reward_after.amount) == 50_000

    # and a second run is refused, and the customer's session finds nothing of them any more
    again = api.post(f"/privacy/requests/{request_id}/erase", token=staff("cs"))
    assert (again.status_code, error_code(again)) == (409, "privacy_request_handled")
    assert api.get("/public/my-data", token=session).status_code == 404
