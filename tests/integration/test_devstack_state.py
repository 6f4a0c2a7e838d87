"""The devstack's provisioning (secrets, Cognito, tables, the uploads bucket), save/restore of
tables and buckets, and the migration of data saved by an older model, on moto server."""

from __future__ import annotations

import io
import json
import logging
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from boto3.s3.transfer import TransferConfig
from moto.server import ThreadedMotoServer
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.platform.auth import Role
from chalicelib.platform.secrets import parse_secrets
from devstack.__main__ import main as devstack_main
from devstack.config import StackConfig
from devstack.demo_users import DEMO_OUTSIDE_USERS, DEMO_USERS, GROUPS
from devstack.migrations import migrate_saved_data
from devstack.provision import create_bucket, create_tables, provision_cognito, put_secrets
from devstack.state import SavedBuckets, has_saved_tables, restore_tables, save_tables

REGION = "ap-southeast-1"


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def client(service: str, url: str) -> Any:
    return boto3.client(service, endpoint_url=url, region_name=REGION)


def create_table(dynamodb: Any) -> str:
    name = f"things-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def every_kind_of_item(index: int) -> dict[str, Any]:
    return {
        "pk": {"S": f"thing#{index % 3}"},
        "sk": {"N": str(index)},
        "name": {"S": "Máy lạnh"},
        "price": {"N": "12.50"},
        "photo": {"B": bytes([index, 0, 255])},
        "tags": {"SS": ["a", "b"]},
        "sizes": {"NS": ["1", "2"]},
        "blobs": {"BS": [b"\x01", b"\x02"]},
        "active": {"BOOL": index % 2 == 0},
        "note": {"NULL": True},
        "specs": {"M": {"gas": {"S": "R32"}, "raw": {"B": b"\xff"}}},
        "history": {"L": [{"S": "created"}, {"M": {"at": {"N": "1"}}}]},
    }


def sorted_items(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    items = dynamodb.scan(TableName=table)["Items"]
    return sorted(items, key=lambda item: int(item["sk"]["N"]))


def test_saved_tables_restore_to_identical_items(emulator_url: str, tmp_path: Path) -> None:
    # Given a table holding every kind of attribute value (more than one batch write of items)
    dynamodb = client("dynamodb", emulator_url)
    table = create_table(dynamodb)
    for index in range(60):
        dynamodb.put_item(TableName=table, Item=every_kind_of_item(index))
    before = sorted_items(dynamodb, table)

    # When it is saved, the emulator loses it, and it is restored into a new empty table
    tables_dir = tmp_path / "tables"
    assert not has_saved_tables(tables_dir)
    assert save_tables(dynamodb, tables_dir, [table]) == {table: 60}
    assert has_saved_tables(tables_dir)
    dynamodb.delete_table(TableName=table)
    dynamodb.create_table(
        TableName=table,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    restored = restore_tables(dynamodb, tables_dir)

    # Then every item is back, byte for byte
    assert restored == {table: 60}
    assert sorted_items(dynamodb, table) == before
    saved = json.loads((tables_dir / f"{table}.json").read_text())
    assert saved["items"][0]["photo"]["B"].isascii()  # binary kept as base64 text


def test_restore_skips_a_saved_table_that_no_longer_exists(
    emulator_url: str, tmp_path: Path
) -> None:
    (tmp_path / "gone.json").write_text(json.dumps({"table": "gone", "items": []}))
    assert restore_tables(client("dynamodb", emulator_url), tmp_path) == {}


def test_secrets_are_generated_once_in_the_documented_format(
    emulator_url: str, tmp_path: Path
) -> None:
    ssm = client("ssm", emulator_url)
    path = tmp_path / "secrets.json"
    name = f"/garanti/test-{uuid.uuid4().hex[:6]}/secrets"

    put_secrets(ssm, name, path)
    first = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    put_secrets(ssm, name, path)  # a restart: same keys, so printed QR codes still verify
    second = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]

    assert first["Type"] == "SecureString"
    assert first["Value"] == second["Value"] == path.read_text()
    data = json.loads(first["Value"])
    assert set(data) == {"qr_keys", "qr_active_key", "pepper", "lookup_token_key"}
    assert all(len(bytes.fromhex(v)) == 32 for v in [data["pepper"], data["lookup_token_key"]])
    secrets = parse_secrets(first["Value"])
    assert secrets.qr_keyring.active_key_id == 1
    assert path.stat().st_mode & 0o077 == 0


def test_cognito_demo_users_sign_in_with_their_group(emulator_url: str) -> None:
    cognito = client("cognito-idp", emulator_url)

    users = [*DEMO_USERS, *DEMO_OUTSIDE_USERS]
    setup = provision_cognito(cognito, region=REGION, emulator_url=emulator_url, users=users)
    again = provision_cognito(cognito, region=REGION, emulator_url=emulator_url, users=users)

    assert again.user_pool_id == setup.user_pool_id
    assert again.client_id == setup.client_id
    groups = {g["GroupName"] for g in cognito.list_groups(UserPoolId=setup.user_pool_id)["Groups"]}
    assert (
        groups
        == set(GROUPS) | {Role.DEALER.value, Role.SERVICE.value}
        == {role.value for role in Role}
    )
    for user in users:
        tokens = cognito.initiate_auth(
            ClientId=setup.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
        )["AuthenticationResult"]
        claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
        assert claims["cognito:groups"] == [user.group]
        assert claims["iss"] == setup.issuer
    with urllib.request.urlopen(setup.jwks_url) as response:  # the URL the app verifies with
        assert json.load(response)["keys"]
    assert setup.environment()["GARANTI_COGNITO_JWKS_URL"] == setup.jwks_url


def test_tables_are_created_from_models_with_stream_and_ttl(emulator_url: str) -> None:
    name = f"sessions-{uuid.uuid4().hex[:8]}"

    class SessionRecord(Model):
        class Meta:
            table_name = name
            host = emulator_url
            region = REGION
            billing_mode = "PAY_PER_REQUEST"
            stream_view_type = "NEW_AND_OLD_IMAGES"

        session_id = UnicodeAttribute(hash_key=True)
        hits = NumberAttribute(default=0)
        expires = TTLAttribute(attr_name="expires_at")

    dynamodb = client("dynamodb", emulator_url)
    assert create_tables([SessionRecord], dynamodb) == [name]
    assert create_tables([SessionRecord], dynamodb) == [name]  # idempotent

    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """The CLI configures the ``devstack`` logger; put it back for the tests that follow."""
    logger = logging.getLogger("devstack")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.mark.usefixtures("cli_logging")
def test_reset_deletes_only_a_devstack_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "devstack"
    monkeypatch.setenv("GARANTI_DEVSTACK_DIR", str(data_dir))
    config = StackConfig.from_environ()
    (data_dir / "tables").mkdir(parents=True)
    config.marker_path.write_text("marker")
    (data_dir / "secrets.json").write_text("{}")

    assert devstack_main(["reset"]) == 0
    assert not data_dir.exists()

    # A folder that is not ours is refused
    data_dir.mkdir()
    (data_dir / "thesis.tex").write_text("precious")
    assert devstack_main(["reset"]) == 1
    assert (data_dir / "thesis.tex").exists()
    assert "not deleting" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_logging")
def test_one_off_commands_say_when_no_stack_is_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GARANTI_DEVSTACK_DIR", str(tmp_path))
    assert devstack_main(["dlq", "replay", "--all"]) == 1
    assert "no stack is running" in capsys.readouterr().err
    assert devstack_main(["dlq", "list"]) == 0
    assert "No dead letters." in capsys.readouterr().out


# -- the uploads bucket -------------------------------------------------------------------------


def test_the_bucket_is_created_once(emulator_url: str) -> None:
    s3 = client("s3", emulator_url)
    name = f"uploads-{uuid.uuid4().hex[:8]}"

    assert create_bucket(s3, name, REGION) is True
    assert create_bucket(s3, name, REGION) is False  # a restart, or saved state that has it
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == REGION


def object_files(bucket_dir: Path) -> dict[str, int]:
    """Saved file → its inode: a file written again (a new file moved in place) gets another."""
    return {p.name: p.stat().st_ino for p in (bucket_dir / "objects").iterdir()}


SHEET = bytes(range(256)) * (6 * 4096)  # 6 MiB: uploaded in two parts


def upload_sheet(s3: Any, bucket: str) -> None:
    """As the label renderer uploads a sheet: in parts, with a download name."""
    s3.upload_fileobj(
        io.BytesIO(SHEET),
        bucket,
        "labels/job-1.pdf",
        ExtraArgs={
            "ContentType": "application/pdf",
            "ContentDisposition": 'attachment; filename="nhan-L07.pdf"',
        },
        Config=TransferConfig(multipart_threshold=5 * 1024 * 1024),
    )


def test_saved_objects_restore_with_their_headers_and_a_save_fetches_only_changes(
    emulator_url: str, tmp_path: Path
) -> None:
    # Given a bucket with a label sheet and a list of serials, saved once
    s3 = client("s3", emulator_url)
    name = f"uploads-{uuid.uuid4().hex[:8]}"
    create_bucket(s3, name, REGION)
    upload_sheet(s3, name)
    s3.put_object(Bucket=name, Key="label-jobs/job-2.csv", Body=b"GAR1\nGAR2\n")
    buckets = SavedBuckets(s3, tmp_path / "buckets", [name])
    bucket_dir = tmp_path / "buckets" / name
    assert buckets.save() == {name: 2}
    first = object_files(bucket_dir)

    # When it is saved again with nothing changed, then nothing is downloaded again
    assert buckets.save() == {name: 2}
    assert object_files(bucket_dir) == first

    # When the list changes and the sheet is deleted, then only those files change
    s3.put_object(Bucket=name, Key="label-jobs/job-2.csv", Body=b"GAR3\n")
    s3.delete_object(Bucket=name, Key="labels/job-1.pdf")
    assert buckets.save() == {name: 1}
    (changed,) = object_files(bucket_dir).items()
    assert changed[1] != first[changed[0]]

    # When the sheet is written again, saved, and the emulator forgets the bucket
    upload_sheet(s3, name)
    buckets.save()
    for key in ("labels/job-1.pdf", "label-jobs/job-2.csv"):
        s3.delete_object(Bucket=name, Key=key)
    s3.delete_bucket(Bucket=name)
    create_bucket(s3, name, REGION)
    assert buckets.restore() == {name: 2}

    # Then every object is back with its bytes and the headers a download shows
    restored = s3.get_object(Bucket=name, Key="labels/job-1.pdf")
    assert restored["Body"].read() == SHEET
    assert restored["ContentType"] == "application/pdf"
    assert restored["ContentDisposition"] == 'attachment; filename="nhan-L07.pdf"'
    assert s3.get_object(Bucket=name, Key="label-jobs/job-2.csv")["Body"].read() == b"GAR3\n"
    # And the next save knows the restored objects (a single put's ETag, not the multipart one)
    before = object_files(bucket_dir)
    buckets.save()
    assert object_files(bucket_dir) == before


# -- saved data from an older model -------------------------------------------------------------


def test_saved_data_from_before_label_sheets_gets_the_new_table_the_index_and_batch_keys(
    aws: Any,
) -> None:
    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.labels.tables import LabelJobRecord
    from chalicelib.tables import ALL_TABLES

    dynamodb = aws.dynamodb
    units = UnitRecord.Meta.table_name
    # Given the tables as the code before label sheets made them: no label_jobs table, and a
    # units table without batch_index
    dynamodb.delete_table(TableName=LabelJobRecord.Meta.table_name)
    dynamodb.delete_table(TableName=units)
    schema = UnitRecord._get_schema()
    dynamodb.create_table(
        TableName=units,
        KeySchema=schema["key_schema"],
        AttributeDefinitions=[
            d for d in schema["attribute_definitions"] if d["AttributeName"] != "batch_key"
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": i["index_name"],
                "KeySchema": i["key_schema"],
                "Projection": i["projection"],
            }
            for i in schema["global_secondary_indexes"]
            if i["index_name"] != "batch_index"
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    # and units saved then: with a batch, without one, and one already carrying its key
    for serial, batch, batch_key in [
        ("GAR1", "L-07", None),
        ("GAR2", "L-07", None),
        ("GAR3", "", None),
        ("GAR4", "L-08", "L-08"),
    ]:
        item = {"serial": {"S": serial}, "batch": {"S": batch}}
        if batch_key:
            item["batch_key"] = {"S": batch_key}
        dynamodb.put_item(TableName=units, Item=item)

    # When the stack provisions the tables and migrates the saved data, on two starts
    create_tables(ALL_TABLES, dynamodb)
    first = migrate_saved_data(dynamodb)
    second = migrate_saved_data(dynamodb)

    # Then the table and the index exist, and each batch's units are one query away
    assert (first["units.batch_key"], first["units.brand_id"]) == (2, 4)
    assert (second["units.batch_key"], second["units.brand_id"]) == (0, 0)
    assert (
        dynamodb.describe_table(TableName=LabelJobRecord.Meta.table_name)["Table"][
            "StreamSpecification"
        ]["StreamViewType"]
        == "NEW_IMAGE"
    )

    def batch(key: str) -> list[str]:
        page = dynamodb.query(
            TableName=units,
            IndexName="batch_index",
            KeyConditionExpression="batch_key = :b",
            ExpressionAttributeValues={":b": {"S": key}},
        )
        return [item["serial"]["S"] for item in page["Items"]]

    assert batch("L-07") == ["GAR1", "GAR2"]
    assert batch("L-08") == ["GAR4"]
    assert (
        "batch_key" not in dynamodb.get_item(TableName=units, Key={"serial": {"S": "GAR3"}})["Item"]
    )


LIST_INDEXES = {
    "brand_serial_index",
    "model_serial_index",
    "status_serial_index",
    "activation_index",
}


def test_saved_units_from_before_the_units_list_get_its_indexes_and_appear_in_it(
    aws: Any,
) -> None:
    from chalicelib.catalog.model import UnitFilter
    from chalicelib.catalog.tables import UnitRecord
    from chalicelib.catalog.unit_repository import UnitRepository
    from chalicelib.tables import ALL_TABLES

    dynamodb = aws.dynamodb
    units = UnitRecord.Meta.table_name
    # Given the units table as the code before the units list made it: none of its indexes
    dynamodb.delete_table(TableName=units)
    schema = UnitRecord._get_schema()
    kept = [i for i in schema["global_secondary_indexes"] if i["index_name"] not in LIST_INDEXES]
    used = {k["AttributeName"] for i in kept for k in i["key_schema"]} | {"serial"}
    dynamodb.create_table(
        TableName=units,
        KeySchema=schema["key_schema"],
        AttributeDefinitions=[
            d for d in schema["attribute_definitions"] if d["AttributeName"] in used
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": i["index_name"],
                "KeySchema": i["key_schema"],
                "Projection": i["projection"],
            }
            for i in kept
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    # and two units saved then, without brand_id
    for serial in ["GAR2", "GAR1"]:
        dynamodb.put_item(
            TableName=units,
            Item={
                "serial": {"S": serial},
                "model_code": {"S": "AC-9"},
                "status": {"S": "registered"},
                "batch": {"S": ""},
                "created_at": {"S": "2026-01-02T03:04:05.000000+0000"},
            },
        )

    # When the stack provisions the tables and migrates the saved data
    create_tables(ALL_TABLES, dynamodb)
    changed = migrate_saved_data(dynamodb)

    # Then the list's indexes exist and the old units are in the brand's list, in serial order
    indexes = dynamodb.describe_table(TableName=units)["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"] for i in indexes} >= LIST_INDEXES
    assert changed["units.brand_id"] == 2
    page = UnitRepository("demo").search(UnitFilter(), limit=10)
    assert [u.serial for u in page.units] == ["GAR1", "GAR2"]


def test_saved_customers_from_before_the_customer_search_get_the_brand_and_the_name_index(
    aws: Any,
) -> None:
    from chalicelib.catalog.tables import CustomerRecord
    from chalicelib.tables import ALL_TABLES

    dynamodb = aws.dynamodb
    customers = CustomerRecord.Meta.table_name
    # Given the customers table as the code before the customer search made it (no name_index)
    dynamodb.delete_table(TableName=customers)
    schema = CustomerRecord._get_schema()
    dynamodb.create_table(
        TableName=customers,
        KeySchema=schema["key_schema"],
        AttributeDefinitions=[
            d for d in schema["attribute_definitions"] if d["AttributeName"] == "customer_key"
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    # and customers saved then: named, unnamed (an SMS activation), and one already migrated
    for key, name, brand in [("c1", "Trần Thị Bình", None), ("c2", "", None), ("c3", "An", "x")]:
        item = {"customer_key": {"S": key}, "name": {"S": name}, "phone": {"S": "+84912345678"}}
        if brand:
            item |= {"brand_id": {"S": brand}, "name_folded": {"S": "an"}}
        dynamodb.put_item(TableName=customers, Item=item)

    # When the stack provisions the tables and migrates the saved data, on two starts
    create_tables(ALL_TABLES, dynamodb)
    first = migrate_saved_data(dynamodb)
    second = migrate_saved_data(dynamodb)

    # Then each customer carries the brand, and a named one is one query on its folded name
    assert first["customers.search_keys"] == 2
    assert second["customers.search_keys"] == 0
    page = dynamodb.query(
        TableName=customers,
        IndexName="name_index",
        KeyConditionExpression="brand_id = :b AND begins_with(name_folded, :n)",
        ExpressionAttributeValues={":b": {"S": "demo"}, ":n": {"S": "tran thi"}},
    )
    assert [item["customer_key"]["S"] for item in page["Items"]] == ["c1"]
    unnamed = dynamodb.get_item(TableName=customers, Key={"customer_key": {"S": "c2"}})["Item"]
    assert unnamed["brand_id"] == {"S": "demo"} and "name_folded" not in unnamed
    kept = dynamodb.get_item(TableName=customers, Key={"customer_key": {"S": "c3"}})["Item"]
    assert kept["brand_id"] == {"S": "x"}


def test_saved_routed_requests_get_their_assignees_board_key_and_counter(aws: Any) -> None:
    from chalicelib.claims.model import Routing
    from chalicelib.claims.repository import ClaimRepository, to_record
    from chalicelib.claims.states import ClaimState
    from chalicelib.claims.tables import ClaimRecord
    from tests.support.claims import claim_in

    # Given requests saved before the assignees' boards: one routed to a technician, one never
    # routed, and one written since (its key there already, its counter kept by its write)
    for claim_id, assignee in (("SR-0000000A", "tech#an"), ("SR-0000000B", None)):
        record = to_record(
            claim_in(ClaimState.ROUTED, claim_id=claim_id, assignee_key=assignee,
                     routing=Routing.INTERNAL if assignee else None)
        )  # fmt: skip
        record.assignee_state_key = None
        record.save()
    to_record(claim_in(ClaimState.ACCEPTED, claim_id="SR-0000000C")).save()

    # When the stack migrates the saved data, on two starts
    first = migrate_saved_data(aws.dynamodb)
    second = migrate_saved_data(aws.dynamodb)

    # Then the routed one is on its technician's board, counted once
    assert (first["claims.assignee_state_key"], second["claims.assignee_state_key"]) == (1, 0)
    store = ClaimRepository()
    assert store.counts("tech#an") == {ClaimState.ROUTED: 1}
    found, _ = store.column(ClaimState.ROUTED, limit=5, after=None, assignee_key="tech#an")
    assert [c.claim_id for c in found] == ["SR-0000000A"]
    assert ClaimRecord.get("SR-0000000B").assignee_state_key is None
