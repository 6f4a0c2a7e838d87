"""The customer search's rules: names compared folded, exactly one way to search, and the
service with in-memory stores (a reveal is recorded before anything is shown)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.audit.model import AuditEntry
from chalicelib.catalog.customers import (
    Customer,
    SearchMode,
    find_by_phone,
    name_prefix,
    reveal,
    search_mode,
)
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.core.phone import phone_key
from chalicelib.core.text import fold_name
from tests.support import factories as f

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Trần Thị Bình", "tran thi binh"),
        ("  TRẦN   thị  ", "tran thi"),
        ("Đặng Văn Ơn", "dang van on"),
        ("Nguye\u0302\u0303n", "nguyen"),  # decomposed marks, as some keyboards send them
        ("Lê Ngọc Ánh", "le ngoc anh"),
        ("", ""),
    ],
)
def test_names_are_compared_without_marks_case_or_extra_spaces(name: str, folded: str) -> None:
    assert fold_name(name) == folded


def test_a_search_takes_exactly_one_of_phone_name_serial() -> None:
    assert search_mode({"name": "tran", "limit": "5"}) == (SearchMode.NAME, "tran")
    assert search_mode({"serial": "GAR1"}) == (SearchMode.SERIAL, "GAR1")
    for params in ({}, {"limit": "5"}, {"phone": "0912345678", "serial": "GAR1"}):
        with pytest.raises(Invalid) as refused:
            search_mode(params)
        assert refused.value.code == "customer_search_mode"


def test_a_name_search_needs_two_letters_once_folded() -> None:
    assert name_prefix(" Tr ") == "tr"
    for short in ("T", "  ", "Đ"):
        with pytest.raises(Invalid) as refused:
            name_prefix(short)
        assert [e.code for e in refused.value.fields] == ["customer_name_too_short"]


class Customers:
    def __init__(self, *customers: Customer) -> None:
        self._by_id = {c.customer_id: c for c in customers}
        self.reads: list[str] = []

    def get(self, customer_id: str) -> Customer | None:
        self.reads.append(customer_id)
        return self._by_id.get(customer_id)

    def find_by_name(
        self, prefix: str, *, limit: int, after: str | None
    ) -> tuple[list[Customer], str | None]:
        raise AssertionError("not a name search")


class Audit:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> bool:
        self.entries.append(entry)
        return True


BINH = Customer(phone_key(f.PEPPER, f.PHONE), "Trần Thị Bình", f.PHONE, (), NOW)


def test_a_phone_in_any_spelling_is_one_read_of_its_key() -> None:
    store = Customers(BINH)

    page = find_by_phone("0912.345.678", pepper=f.PEPPER, customers=store)

    assert page.customers == [BINH]
    assert store.reads == [BINH.customer_id]


def test_a_bad_phone_is_a_field_error_on_phone() -> None:
    with pytest.raises(Invalid) as refused:
        find_by_phone("1900 1234", pepper=f.PEPPER, customers=Customers())
    assert [(e.field, e.code) for e in refused.value.fields] == [("phone", "phone_not_mobile")]


def test_a_reveal_is_recorded_with_who_and_the_request() -> None:
    audit = Audit()

    shown = reveal(
        BINH.customer_id, by="cs", source="req-1", now=NOW, customers=Customers(BINH), audit=audit
    )

    assert shown == BINH
    [entry] = audit.entries
    assert (entry.actor, entry.action, entry.entity, entry.entity_id, entry.source) == (
        "cs",
        "customer_revealed",
        "customer",
        BINH.customer_id,
        "req-1",
    )


def test_an_unknown_customer_is_not_revealed_nor_recorded() -> None:
    audit = Audit()
    with pytest.raises(NotFound):
        reveal("0" * 64, by="cs", source="r", now=NOW, customers=Customers(BINH), audit=audit)
    assert audit.entries == []
