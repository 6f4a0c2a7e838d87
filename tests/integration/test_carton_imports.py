"""The unit import's optional ``carton`` column, on the emulator: units get their carton (an
SSCC as scanned or typed, or the manufacturer's own code), a line with an invalid carton code is
rejected with its reason in the importer's language, and the carton's units are one query of
``carton_serial_index``."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.catalog.tables import UnitImportRecord, UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.i18n import text
from tests.integration.test_unit_imports import finished, report_rows, upload, xlsx
from tests.support import seed
from tests.support.api import Api, StaffTokens
from tests.support.aws import Emulator
from tests.support.streams import StreamReader

SSCC = "106141411234567897"  # GS1's worked example


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


@pytest.fixture
def imports_stream(aws: Emulator) -> StreamReader:
    return StreamReader(aws, UnitImportRecord.Meta.table_name)


def carton_serials(code: str) -> list[str]:
    return [r.serial for r in UnitRecord.carton_serial_index.query(code)]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_csv_import_packs_units_into_their_cartons_and_rejects_a_bad_carton_code(
    api: Api, admin: str, imports_stream: StreamReader, language: str
) -> None:
    seed.model()
    csv_text = (
        "serial,model_code,batch,manufactured_on,carton\n"
        f"CT-0001,AC-9,,,(00){SSCC}\n"  # 2: the element string printed under the barcode
        f"CT-0002,AC-9,LOT-1,2026-01-02,00{SSCC}\n"  # 3: as a scanner types it
        "CT-0003,AC-9,,,box-7\n"  # 4: the manufacturer's own code
        "CT-0004,AC-9\n"  # 5: in no carton
        f"CT-0005,AC-9,,,{SSCC[:-1]}0\n"  # 6: a wrong check digit
    )

    job = upload(api, admin, "cartons.csv", csv_text.encode(), **{"Accept-Language": language})
    done = finished(api, admin, job["import_id"], imports_stream)

    assert (done["status"], done["imported"], done["rejected"]) == ("done", 4, 1)
    assert [(r["line"], r["reason"]) for r in done["first_rejected"]] == [
        (6, "carton_code_invalid")
    ]
    assert carton_serials(SSCC) == ["CT-0001", "CT-0002"]
    assert carton_serials("BOX-7") == ["CT-0003"]
    assert UnitRepository().get("CT-0004").carton == ""
    assert UnitRepository().find("CT-0005") is None
    assert report_rows(done)[5][4] == text("carton_code_invalid", language)
    listed = {c["code"]: c for c in api.get("/cartons", token=admin).json_body["cartons"]}
    assert {code: (c["units"], c["status"], c["source"]) for code, c in listed.items()} == {
        SSCC: (2, "closed", "imported"),
        "BOX-7": (1, "closed", "imported"),
    }
    assert listed[SSCC]["models"] == [{"model_code": "AC-9", "units": 2}]


def test_a_second_import_into_a_known_carton_adds_to_its_counts(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model("AC-9")
    seed.model("AC-12")
    first = "serial,model_code,batch,manufactured_on,carton\nTW-1,AC-9,,,BOX-9\n"
    second = "TW-2,AC-12,,,BOX-9\nTW-3,AC-12,,,BOX-9\n"

    for name, body in (("one.csv", first), ("two.csv", second)):
        job = upload(api, admin, name, body.encode())
        assert finished(api, admin, job["import_id"], imports_stream)["imported"] >= 1

    carton = api.get("/cartons/BOX-9", token=admin).json_body
    assert (carton["units"], carton["models"]) == (
        3,
        [{"model_code": "AC-12", "units": 2}, {"model_code": "AC-9", "units": 1}],
    )
    assert [u["serial"] for u in carton["unit_list"]] == ["TW-1", "TW-2", "TW-3"]


def test_an_xlsx_import_reads_the_carton_column_and_an_sscc_stored_as_a_number_is_refused(
    api: Api, admin: str, imports_stream: StreamReader
) -> None:
    seed.model()
    data = xlsx(
        [
            ["serial", "model_code", "batch", "manufactured_on", "carton"],
            ["XC-0001", "AC-9", "LOT-2", datetime(2026, 3, 4), SSCC],
            ["XC-0002", "AC-9", None, None, "CT-9"],
            # 18 digits as an Excel number keep 15 significant ones: the check digit fails
            ["XC-0003", "AC-9", None, None, float(SSCC)],
        ]
    )

    job = upload(api, admin, "cartons.xlsx", data, **{"Accept-Language": "vi"})
    done = finished(api, admin, job["import_id"], imports_stream)

    assert (done["imported"], done["rejected"]) == (2, 1)
    assert [(r["line"], r["reason"]) for r in done["first_rejected"]] == [
        (4, "carton_code_invalid")
    ]
    assert UnitRepository().get("XC-0001").carton == SSCC
    assert UnitRepository().get("XC-0002").carton == "CT-9"
