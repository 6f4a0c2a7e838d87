"""The installer rewards' figure (issue 13): DynamoDB calls the reward step adds to the
processing of an activation on the units stream (goal: one write, the entry's conditional put
with its month's open check in one transaction, and the reads it needs), counted with
botocore hooks on every session PynamoDB makes, in a fresh emulator.

Each activation is an installer's (channel ``partner``) by an approved partner, for a model with
a rule; it is decided by the step exactly as ``on_unit_change`` runs it, one batch per
activation (the worst case: the model's rules are read once per batch)."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.workload import CallCounter, _environment
from devstack.emulator import free_port

ACTIVATIONS = 20


def run() -> dict[str, Any]:
    from devstack.emulator import Emulator

    workdir = Path(tempfile.mkdtemp(prefix="garanti-bench-rewards-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        _environment(emulator.url)
        return _measure(workdir)
    finally:
        emulator.stop()


def _measure(workdir: Path) -> dict[str, Any]:
    import boto3

    counter = CallCounter()
    counter.install()

    from chalicelib.catalog.model import Activation, Installer, NewUnit, Owner
    from chalicelib.catalog.unit_repository import UnitRepository
    from chalicelib.catalog.warranty import business_day
    from chalicelib.core.phone import phone_key
    from chalicelib.core.settings import get_settings
    from chalicelib.partners import reward_events, reward_service
    from chalicelib.partners import service as partners
    from chalicelib.partners import wiring as partner_wiring
    from chalicelib.partners.model import PartnerDetails, PartnerStatus
    from chalicelib.partners.rewards import RuleTerms
    from chalicelib.platform import wiring as platform_wiring
    from chalicelib.tables import ALL_TABLES
    from devstack.demo import seed_demo
    from devstack.provision import create_tables, put_secrets

    settings = get_settings()
    create_tables(ALL_TABLES, boto3.client("dynamodb"))
    put_secrets(boto3.client("ssm"), settings.secrets_parameter, workdir / "secrets.json")
    seed_demo()
    pepper = platform_wiring.secrets().pepper
    now = datetime.now(UTC)
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.catalog import wiring as catalog_wiring

    model = catalog_wiring.model_repository().list()[0].code
    change = partners.Change("bench", now - timedelta(days=1), "bench")
    partner = partners.create(
        PartnerDetails("+84987650000", "Thợ Bench", "079190001234", "Đà Nẵng", "970422",
                       "1234567890", "THO BENCH"),
        PartnerStatus.APPROVED, "", change, pepper=pepper,
        partners=partner_wiring.partner_repository(), trail=audit_wiring.audit_trail(),
    )  # fmt: skip
    reward_service.create_rule(
        RuleTerms(model, 50_000, business_day(now) - timedelta(days=30), None, 0),
        change,
        models=catalog_wiring.model_repository(),
        rules=partner_wiring.reward_rule_repository(),
        trail=audit_wiring.audit_trail(),
    )
    units = UnitRepository()
    serials = [f"BENCH-R{n:04d}" for n in range(ACTIVATIONS)]
    units.add([NewUnit(s, model) for s in serials], event="imported", by="bench")
    per_activation: list[Counter[str]] = []
    # the model's category is read through the catalogue's model cache, which the activation
    # step (run first in on_unit_change) fills for the batch: warm it as that step would
    catalog_wiring.model_cache().get(model)
    for n, serial in enumerate(serials):
        customer = f"+8491200{n:04d}"
        at = datetime.now(UTC)
        units.activate(
            serial,
            Activation(at, business_day(at), business_day(at) + timedelta(days=365), "activation",
                       "partner", Owner("Khách Bench", customer),
                       installer=Installer("Thợ Bench", partner.phone, business_day(at),
                                           partner_id=partner.partner_id)),
            owner_key=phone_key(pepper, customer), consents=(),
        )  # fmt: skip
        record = _record_of(units.get(serial), pepper)
        with counter.measure() as calls:
            result = reward_events.earn_rewards({"Records": [record]})
        assert result == {"batchItemFailures": []}, result
        per_activation.append(calls)
    first, last = dict(per_activation[0]), dict(per_activation[-1])
    return {
        "reward_step_calls_first_activation": first,
        "reward_step_calls_20th_activation": last,
        "same_for_every_activation": all(dict(c) == first for c in per_activation),
        # the entry: its conditional put and the check that its month is open, one transaction
        "writes": first.get("TransactWriteItems", 0) + first.get("PutItem", 0),
        "reads": sum(v for k, v in first.items() if k not in ("TransactWriteItems", "PutItem")),
    }


def _record_of(unit: Any, pepper: bytes) -> dict[str, Any]:
    """The units stream's MODIFY record of the unit's activation, as Lambda delivers it."""
    from chalicelib.catalog.tables import UnitRecord

    new = UnitRecord.get(unit.serial).serialize()
    old = {**new, "status": {"S": "registered"}}
    return {
        "eventID": f"bench-{unit.serial}",
        "eventName": "MODIFY",
        "dynamodb": {"OldImage": old, "NewImage": new, "SequenceNumber": "1"},
    }


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    print(json.dumps(run(), indent=2, ensure_ascii=False))
