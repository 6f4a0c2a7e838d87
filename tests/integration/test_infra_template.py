"""The packaged CloudFormation template (infra/ merged into ``chalice package``) says what the
code assumes: tables exactly as the PynamoDB models, stream handlers that cannot block a shard,
per-function IAM scoped to named resources (uploads by key prefix), and nothing cfn-lint
objects to.

The template is built once per session by ``python -m infra.package --no-deps`` in a fresh
process (the generator must import the models under the dev stage's environment): the same
Chalice packager and merge as ``make package``, without ``pip download``.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from pynamodb.attributes import TTLAttribute
from pynamodb.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.i18n import both
from chalicelib.core.settings import get_settings
from chalicelib.tables import ALL_TABLES
from infra.build_template import TemplateError, _upload_statements, load_stage_models, role_policy
from infra.functions import FUNCTIONS, GET, GET_OBJECT, PUT, FunctionSpec, S3Access, TableAccess
from infra.package import CFNLINT_CONFIG, check_packaged, missing_distributions

PROJECT_DIR = Path(__file__).resolve().parents[2]
STAGE = "dev"
Json = dict[str, Any]

pytestmark = pytest.mark.xdist_group("infra")  # one worker builds the template once


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("infra")
    command = [
        sys.executable,
        "-m",
        "infra.package",
        "--stage",
        STAGE,
        "--no-deps",
        "--skip-lint",
        "--out",
        str(out / "package"),
        "--merge-template",
        str(out / "infra.json"),
        "--staging-dir",
        str(out / "project"),
    ]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def merge_template(built: Path) -> Json:
    return dict(json.loads((built / "infra.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def packaged(built: Path) -> Json:
    return dict(json.loads((built / "package" / "sam.json").read_text(encoding="utf-8")))


# -- helpers ---------------------------------------------------------------------------------


def of_type(template: Json, resource_type: str) -> dict[str, Json]:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == resource_type}


def short_name(model: type[Model]) -> str:
    return model.Meta.table_name.removeprefix(f"{get_settings().table_prefix}-")


def table_id_named(template: Json, table_name: str) -> str:
    tables = of_type(template, "AWS::DynamoDB::Table")
    matches = [k for k, v in tables.items() if v["Properties"]["TableName"] == table_name]
    assert len(matches) == 1, f"{table_name}: {matches}"
    return matches[0]


def indexes_of(model: type[Model]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for klass in reversed(model.__mro__):
        for value in vars(klass).values():
            if isinstance(value, GlobalSecondaryIndex | LocalSecondaryIndex):
                found[value.Meta.index_name] = value
    return found


def key_schema(attributes: Any) -> list[Json]:
    keys = [
        {"AttributeName": a.attr_name, "KeyType": "HASH" if a.is_hash_key else "RANGE"}
        for a in attributes
        if a.is_hash_key or a.is_range_key
    ]
    return sorted(keys, key=lambda k: k["KeyType"] != "HASH")


def key_types(attributes: Any) -> dict[str, str]:
    return {a.attr_name: a.attr_type for a in attributes if a.is_hash_key or a.is_range_key}


def references(value: Any) -> set[str]:
    """Logical ids an intrinsic refers to (GetAtt, Ref, ${Id} or ${Id.Attr} in Sub)."""
    if isinstance(value, dict):
        if "Fn::GetAtt" in value:
            return {value["Fn::GetAtt"][0]}
        if "Ref" in value:
            return {value["Ref"]}
        if "Fn::Sub" in value:
            text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
            names = {part.split("}")[0].split(".")[0] for part in text.split("${")[1:]}
            return {n for n in names if not n.startswith("AWS::")}
    return set()


def statements(role: Json) -> Iterator[Json]:
    for policy in role["Properties"].get("Policies", []):
        yield from policy["PolicyDocument"]["Statement"]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def app_stream_handlers() -> dict[str, tuple[str, int]]:
    """handler name → (short table name, batch size), from app.py's own decorators."""
    from chalice.app import DynamoDBEventConfig

    import app as application

    prefix = f"{get_settings().table_prefix}-"
    handlers: dict[str, tuple[str, int]] = {}
    for source in application.app.event_sources:
        if isinstance(source, DynamoDBEventConfig):
            table = source.stream_arn.split(":", 5)[-1].split("/")[1]
            handlers[source.name] = (table.removeprefix(prefix), source.batch_size)
    return handlers


def function_id(handler: str) -> str:
    return "".join(part.capitalize() for part in handler.split("_"))


# -- tables ----------------------------------------------------------------------------------


def test_every_model_has_exactly_one_table_and_nothing_else_does(merge_template: Json) -> None:
    tables = of_type(merge_template, "AWS::DynamoDB::Table")
    declared = sorted(t["Metadata"]["garanti:model"] for t in tables.values())
    assert declared == sorted(f"{m.__module__}.{m.__qualname__}" for m in ALL_TABLES)


@pytest.mark.parametrize("model", ALL_TABLES, ids=lambda m: m.__name__)
def test_table_agrees_with_its_model(merge_template: Json, model: type[Model]) -> None:
    # Given the model, when its table is generated, then keys, types, indexes, stream and TTL
    # are the model's, and the table is named as the dev functions will name it.
    name = f"garanti-{STAGE}-{short_name(model)}"
    table = merge_template["Resources"][table_id_named(merge_template, name)]
    props = table["Properties"]
    attributes = model.get_attributes().values()
    indexes = indexes_of(model)

    assert table["Metadata"]["garanti:model"] == f"{model.__module__}.{model.__qualname__}"
    assert props["KeySchema"] == key_schema(attributes)
    expected_types = key_types(attributes)
    for index in indexes.values():
        expected_types |= key_types(index.Meta.attributes.values())
    assert {d["AttributeName"]: d["AttributeType"] for d in props["AttributeDefinitions"]} == (
        expected_types
    )
    assert len(props["AttributeDefinitions"]) == len(expected_types)
    generated = {
        i["IndexName"]: i
        for i in props.get("GlobalSecondaryIndexes", []) + props.get("LocalSecondaryIndexes", [])
    }
    assert generated.keys() == indexes.keys()
    for index_name, index in indexes.items():
        assert generated[index_name]["KeySchema"] == key_schema(index.Meta.attributes.values())
        projection = index.Meta.projection
        assert generated[index_name]["Projection"]["ProjectionType"] == projection.projection_type
        assert generated[index_name]["Projection"].get("NonKeyAttributes") == (
            projection.non_key_attributes
        )
    stream = getattr(model.Meta, "stream_view_type", None)
    assert props.get("StreamSpecification") == ({"StreamViewType": stream} if stream else None)
    ttl = [a.attr_name for a in attributes if isinstance(a, TTLAttribute)]
    assert props.get("TimeToLiveSpecification") == (
        {"AttributeName": ttl[0], "Enabled": True} if ttl else None
    )
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_generator_refuses_models_imported_for_another_stage() -> None:
    # This process imported the models for its own stage (local): their names are not dev's.
    assert get_settings().stage != STAGE
    with pytest.raises(TemplateError, match="another stage"):
        load_stage_models(PROJECT_DIR, STAGE)


# -- stream handlers -------------------------------------------------------------------------


STREAM_HANDLERS = [
    "on_unit_change",
    "on_notification_change",
    "on_label_job_change",
    "on_export_change",
    "on_unit_import_change",
    "on_brand_change",
    "on_model_change",
    "on_claim_change",
    "on_reward_change",
    "on_receivable_change",
]


def test_app_has_the_stream_handlers_this_file_knows() -> None:
    assert app_stream_handlers().keys() == set(STREAM_HANDLERS)


@pytest.mark.parametrize("handler", STREAM_HANDLERS)
def test_stream_handler_reads_its_table_and_cannot_block_a_shard(
    packaged: Json, handler: str
) -> None:
    table, batch_size = app_stream_handlers()[handler]
    function = packaged["Resources"][function_id(handler)]
    assert function["Type"] == "AWS::Serverless::Function"
    events = function["Properties"]["Events"]
    assert list(events) == [f"{function_id(handler)}DynamodbEventSource"]
    event = next(iter(events.values()))
    props = event["Properties"]

    assert event["Type"] == "DynamoDB"
    table_id = table_id_named(packaged, f"garanti-{STAGE}-{table}")
    assert props["Stream"] == {"Fn::GetAtt": [table_id, "StreamArn"]}
    assert props["StartingPosition"] == "TRIM_HORIZON"
    assert props["BatchSize"] == batch_size  # Chalice's value, kept by the merge
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["MaximumRetryAttempts"] == 5 == get_settings().max_stream_retries
    assert props["MaximumRecordAgeInSeconds"] == 21600  # < 24 h: still in the stream to replay
    assert props["BisectBatchOnFunctionError"] is True

    destination = props["DestinationConfig"]["OnFailure"]["Destination"]
    (queue_id,) = references(destination)
    assert destination == {"Fn::GetAtt": [queue_id, "Arn"]}
    queue = packaged["Resources"][queue_id]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    alarms = [
        a["Properties"]
        for a in of_type(packaged, "AWS::CloudWatch::Alarm").values()
        if any(references(d["Value"]) == {queue_id} for d in a["Properties"]["Dimensions"])
    ]
    assert len(alarms) == 1
    assert alarms[0]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarms[0]["Threshold"] == 0
    assert alarms[0]["ComparisonOperator"] == "GreaterThanThreshold"


# -- IAM -------------------------------------------------------------------------------------


def test_every_function_has_its_own_role(packaged: Json) -> None:
    functions = of_type(packaged, "AWS::Serverless::Function")
    roles = [references(f["Properties"]["Role"]) for f in functions.values()]
    assert len(functions) == len(FUNCTIONS)
    assert all(len(r) == 1 for r in roles)
    assert len(set.union(*roles)) == len(functions)
    for (role_id,) in roles:
        assert packaged["Resources"][role_id]["Type"] == "AWS::IAM::Role"
        assert list(statements(packaged["Resources"][role_id]))


def test_every_statement_names_specific_resources(packaged: Json) -> None:
    tables = of_type(packaged, "AWS::DynamoDB::Table")
    for role_id, role in of_type(packaged, "AWS::IAM::Role").items():
        for statement in statements(role):
            assert statement["Effect"] == "Allow", role_id
            assert "NotResource" not in statement and "NotAction" not in statement, role_id
            resources = as_list(statement["Resource"])
            assert "*" not in resources, (role_id, statement)
            assert all(isinstance(r, dict) for r in resources), (role_id, statement)
            actions = as_list(statement["Action"])
            assert all("*" not in a for a in actions), (role_id, statement)
            if any(a.startswith("dynamodb:") for a in actions):
                for resource in resources:
                    named = references(resource)
                    assert len(named) == 1 and named <= tables.keys(), (role_id, statement)


def test_no_function_can_scan(packaged: Json) -> None:
    for role_id, role in of_type(packaged, "AWS::IAM::Role").items():
        for statement in statements(role):
            for action in as_list(statement["Action"]):
                assert not fnmatch.fnmatch("dynamodb:Scan", action), role_id


def test_each_stream_handler_reads_only_its_own_stream(packaged: Json) -> None:
    stream_actions = {"dynamodb:GetRecords", "dynamodb:GetShardIterator"}
    for handler, (table, _) in app_stream_handlers().items():
        table_id = table_id_named(packaged, f"garanti-{STAGE}-{table}")
        function = packaged["Resources"][function_id(handler)]
        (role_id,) = references(function["Properties"]["Role"])
        read = [
            s["Resource"]
            for s in statements(packaged["Resources"][role_id])
            if stream_actions & set(as_list(s["Action"]))
        ]
        assert read == [{"Fn::GetAtt": [table_id, "StreamArn"]}], handler
    (api_role,) = references(packaged["Resources"]["APIHandler"]["Properties"]["Role"])
    for statement in statements(packaged["Resources"][api_role]):
        assert not stream_actions & set(as_list(statement["Action"]))


def test_functions_get_the_user_pool_and_the_uploads_bucket_from_the_template(
    packaged: Json,
) -> None:
    for function in of_type(packaged, "AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["GARANTI_COGNITO_USER_POOL_ID"] == {"Ref": "UserPool"}
        assert variables["GARANTI_COGNITO_CLIENT_ID"] == {"Ref": "UserPoolClient"}
        assert variables["GARANTI_UPLOADS_BUCKET"] == {"Ref": "UploadsBucket"}
        assert variables["GARANTI_STAGE"] == STAGE
        # Like the other streams: the decorator's placeholder, the mapping's !GetAtt.
        assert "GARANTI_LABEL_JOBS_STREAM_ARN" not in variables
    assert packaged["Resources"]["UserPool"]["Type"] == "AWS::Cognito::UserPool"
    assert packaged["Resources"]["UserPoolClient"]["Type"] == "AWS::Cognito::UserPoolClient"


def role_of(packaged: Json, function: str) -> list[Json]:
    (role_id,) = references(packaged["Resources"][function]["Properties"]["Role"])
    return list(statements(packaged["Resources"][role_id]))


def test_delivery_failures_are_parked_on_an_alarmed_queue_only_senders_write(
    packaged: Json,
) -> None:
    queue = packaged["Resources"]["DeliveryFailuresQueue"]
    alarms = [
        a["Properties"]
        for a in of_type(packaged, "AWS::CloudWatch::Alarm").values()
        if any(
            references(d["Value"]) == {"DeliveryFailuresQueue"}
            for d in a["Properties"]["Dimensions"]
        )
    ]
    writers = {
        name
        for name in of_type(packaged, "AWS::Serverless::Function")
        if any(
            "sqs:SendMessage" in as_list(s["Action"])
            and references(s["Resource"]) == {"DeliveryFailuresQueue"}
            for s in role_of(packaged, name)
        )
    }

    assert queue["Properties"]["QueueName"] == f"garanti-{STAGE}-delivery-failures"
    assert [(a["Threshold"], a["ComparisonOperator"]) for a in alarms] == [
        (0, "GreaterThanThreshold")
    ]
    assert writers == {"OnNotificationChange", "SweepOutbox"}


def test_only_the_sender_the_hooks_the_sweep_and_the_refresh_read_the_messaging_settings(
    packaged: Json,
) -> None:
    readers = {
        name
        for name in of_type(packaged, "AWS::Serverless::Function")
        if any(
            "ssm:GetParameter" in as_list(s["Action"]) and "messaging" in json.dumps(s["Resource"])
            for s in role_of(packaged, name)
        )
    }

    assert readers == {"APIHandler", "OnNotificationChange", "RefreshZaloToken", "SweepOutbox"}


def resource_label(resource: Json) -> str:
    """``{"Fn::GetAtt": ["UnitsTable", "Arn"]}`` → ``UnitsTable.Arn``; ``{"Fn::Sub":
    "${UnitsTable.Arn}/index/x"}`` → ``UnitsTable.Arn/index/x``."""
    if "Fn::GetAtt" in resource:
        return ".".join(resource["Fn::GetAtt"])
    return str(resource["Fn::Sub"]).replace("${", "").replace("}", "")


def grants(packaged: Json, function: str, service: str) -> dict[str, set[str]]:
    """Resource → the actions of ``service`` (``dynamodb``, ``s3``) the function may do on it."""
    granted: dict[str, set[str]] = {}
    for statement in role_of(packaged, function):
        actions = {a for a in as_list(statement["Action"]) if a.startswith(f"{service}:")}
        for resource in as_list(statement["Resource"]) if actions else []:
            granted.setdefault(resource_label(resource), set()).update(actions)
    return granted


def test_the_label_job_runner_may_do_exactly_what_a_run_needs(packaged: Json) -> None:
    assert grants(packaged, "OnLabelJobChange", "dynamodb") == {
        "UnitsTable.Arn/index/batch_index": {"dynamodb:Query"},
        "UnitsTable.Arn": {"dynamodb:BatchGetItem"},
        "BrandsTable.Arn": {"dynamodb:GetItem"},
        "CartonsTable.Arn": {"dynamodb:GetItem"},  # carton labels' counts
        "LabelJobsTable.Arn": {"dynamodb:GetItem", "dynamodb:UpdateItem"},
        "LabelJobsTable.StreamArn": {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
        },
        "LabelJobsTable.Arn/stream/*": {"dynamodb:ListStreams"},
    }
    assert grants(packaged, "OnLabelJobChange", "s3") == {
        "UploadsBucket.Arn/label-jobs/*": {"s3:GetObject"},
        "UploadsBucket.Arn/labels/*": {
            "s3:PutObject",
            "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts",
        },
    }
    sids = {s["Sid"] for s in role_of(packaged, "OnLabelJobChange")}
    assert {"ReadSecrets", "DecryptSecrets"} <= sids  # the QR keyring
    assert "ReadMessaging" not in sids


def test_the_api_creates_and_lists_label_jobs_and_presigns_only_label_sheets(
    packaged: Json,
) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    assert tables["LabelJobsTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert tables["LabelJobsTable.Arn/index/brand_index"] == {"dynamodb:Query"}
    assert tables["UnitsTable.Arn/index/batch_index"] == {"dynamodb:Query"}
    assert {"dynamodb:GetItem", "dynamodb:UpdateItem"} <= tables["BrandsTable.Arn"]
    # The presigned download link is signed with the API's role: it must hold the GetObject.
    assert grants(packaged, "APIHandler", "s3") == {
        "UploadsBucket.Arn/label-jobs/*": {"s3:PutObject"},
        "UploadsBucket.Arn/labels/*": {"s3:GetObject"},
        "UploadsBucket.Arn/exports/*": {"s3:GetObject"},
        # a payout batch's Excel is written by the route itself
        "UploadsBucket.Arn/exports/payouts/*": {"s3:PutObject"},
        "UploadsBucket.Arn/exports/shipments/*": {"s3:PutObject"},  # a shipment's Excel
        "UploadsBucket.Arn/exports/funnel/*": {"s3:PutObject"},
        "UploadsBucket.Arn/exports/reports/*": {"s3:PutObject"},
        "UploadsBucket.Arn/exports/receivables/*": {"s3:PutObject"},
        "UploadsBucket.Arn/unit-imports/*": {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
        "UploadsBucket.Arn/model-images/*": {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
        "UploadsBucket.Arn/brand-logos/*": {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
        "UploadsBucket.Arn/case-uploads/*": {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
        "UploadsBucket.Arn/case-photos/*": {"s3:PutObject", "s3:GetObject"},
        "UploadsBucket.Arn/ticket-uploads/*": {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
        "UploadsBucket.Arn/ticket-photos/*": {"s3:PutObject", "s3:GetObject"},
        # a service request's photo: presigned PUT and HEAD, never its bytes (the stream's)
        "UploadsBucket.Arn/claim-uploads/*": {"s3:PutObject", "s3:GetObject"},
        "UploadsBucket.Arn/claim-photos/*": {"s3:GetObject"},
        "UploadsBucket.Arn/media/*": {"s3:PutObject"},
        "UploadsBucket.Arn/media/manuals/*": {"s3:GetObject"},  # a manual's size, checked
    }


LIST_INDEXES = (
    "brand_serial_index",
    "model_serial_index",
    "status_serial_index",
    "activation_index",
)


def test_the_api_keeps_request_forms_as_versions_and_models_help_by_condition(
    packaged: Json,
) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    assert tables["ClaimFormsTable.Arn"] == {"dynamodb:PutItem", "dynamodb:Query"}
    assert tables["ModelHelpTable.Arn"] == {"dynamodb:GetItem", "dynamodb:PutItem"}


def test_the_api_lists_units_by_their_indexes_audits_reveals_and_starts_exports(
    packaged: Json,
) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    for index in LIST_INDEXES:
        assert tables[f"UnitsTable.Arn/index/{index}"] == {"dynamodb:Query"}
    assert tables["AuditTable.Arn"] >= {"dynamodb:PutItem"}
    assert tables["ExportsTable.Arn"] == {"dynamodb:GetItem", "dynamodb:PutItem"}


def test_the_export_runner_may_do_exactly_what_an_export_needs(packaged: Json) -> None:
    indexes = {
        f"UnitsTable.Arn/index/{index}": {"dynamodb:Query"}
        for index in ("batch_index", *LIST_INDEXES)
    }
    assert grants(packaged, "OnExportChange", "dynamodb") == {
        **indexes,
        "UnitsTable.Arn": {"dynamodb:GetItem", "dynamodb:BatchGetItem"},
        "RewardsTable.Arn/index/period_index": {"dynamodb:Query"},
        "PartnersTable.Arn": {"dynamodb:GetItem"},
        "ExportsTable.Arn": {"dynamodb:UpdateItem"},
        "ExportsTable.StreamArn": {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
        },
        "ExportsTable.Arn/stream/*": {"dynamodb:ListStreams"},
    }
    assert grants(packaged, "OnExportChange", "s3") == {
        "UploadsBucket.Arn/exports/*": {"s3:PutObject", "s3:AbortMultipartUpload"},
    }
    sids = {s["Sid"] for s in role_of(packaged, "OnExportChange")}
    assert "ReadSecrets" not in sids and "ReadMessaging" not in sids


def test_only_the_api_and_the_job_runners_reach_the_uploads_bucket(packaged: Json) -> None:
    reach = {
        name
        for name in of_type(packaged, "AWS::Serverless::Function")
        if grants(packaged, name, "s3")
    }
    every_grant = [
        label
        for name in of_type(packaged, "AWS::Serverless::Function")
        for label in grants(packaged, name, "s3")
    ]

    assert reach == {
        "APIHandler", "OnLabelJobChange", "OnExportChange", "OnUnitImportChange",
        "OnClaimChange",  # a service request's photos, cleaned outside the API
    }  # fmt: skip
    # Objects under a prefix, never the bucket itself (no listing) nor every key.
    assert all(
        label.startswith("UploadsBucket.Arn/") and label.endswith("/*") and label.count("*") == 1
        for label in every_grant
    )


@pytest.mark.parametrize(
    ("prefix", "actions"),
    [("labels", (GET_OBJECT,)), ("*", (GET_OBJECT,)), ("/labels/", (GET_OBJECT,)), ("labels/", ())],
)
def test_an_uploads_grant_must_name_a_folder_and_its_actions(
    prefix: str, actions: tuple[str, ...]
) -> None:
    with pytest.raises(TemplateError):
        _upload_statements([S3Access(prefix, actions)])


def test_the_label_job_runner_gets_15_minutes_and_2_gb_the_rest_keep_the_defaults(
    packaged: Json,
) -> None:
    limits = {
        name: (f["Properties"]["Timeout"], f["Properties"]["MemorySize"])
        for name, f in of_type(packaged, "AWS::Serverless::Function").items()
    }

    assert limits.pop("OnLabelJobChange") == (900, 3538)
    assert limits.pop("OnExportChange") == (900, 1024)
    assert limits.pop("OnUnitImportChange") == (900, 1024)
    assert set(limits.values()) == {(10, 512)}


@pytest.mark.parametrize("stage", ["local", "dev", "prod"])
def test_every_stage_gives_the_label_job_runner_the_same_limits(stage: str) -> None:
    # Chalice reads stages.<stage>.lambda_functions.<handler>; the devstack's poller reads
    # stage local's, so a local job is not told it has 60 s left.
    from chalice.config import Config

    config_data = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    config = Config(chalice_stage=stage, config_from_disk=config_data)
    scoped = config.scope(stage, "on_label_job_change")
    imports = config.scope(stage, "on_unit_import_change")

    assert (scoped.lambda_timeout, scoped.lambda_memory_size) == (900, 3538)
    exports = config.scope(stage, "on_export_change")
    assert (exports.lambda_timeout, exports.lambda_memory_size) == (900, 1024)
    assert (imports.lambda_timeout, imports.lambda_memory_size) == (900, 1024)


def test_the_import_runner_may_do_exactly_what_a_run_needs(packaged: Json) -> None:
    assert grants(packaged, "OnUnitImportChange", "dynamodb") == {
        "UnitsTable.Arn": {"dynamodb:BatchGetItem", "dynamodb:PutItem"},
        "ModelsTable.Arn": {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"},
        "UnitImportsTable.Arn": {"dynamodb:GetItem", "dynamodb:UpdateItem"},
        "CartonsTable.Arn": {"dynamodb:UpdateItem"},  # the carton column's counts
        "UnitImportsTable.StreamArn": {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
        },
        "UnitImportsTable.Arn/stream/*": {"dynamodb:ListStreams"},
    }
    assert grants(packaged, "OnUnitImportChange", "s3") == {
        "UploadsBucket.Arn/unit-imports/*": {
            "s3:GetObject",
            "s3:PutObject",
            "s3:AbortMultipartUpload",
        },
    }
    tables = grants(packaged, "APIHandler", "dynamodb")
    assert tables["UnitImportsTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert tables["UnitImportsTable.Arn/index/brand_index"] == {"dynamodb:Query"}


def test_the_console_and_the_portal_alone_may_put_files_to_the_uploads_bucket_from_a_browser(
    packaged: Json,
) -> None:
    bucket = packaged["Resources"]["UploadsBucket"]["Properties"]
    (rule,) = bucket["CorsConfiguration"]["CorsRules"]

    # the portal's partner pages upload a case's photo
    assert rule["AllowedOrigins"] == [
        "https://console-dev.example.vn",
        "https://bh-dev.example.vn",
    ]
    assert "PUT" in rule["AllowedMethods"] and "*" not in rule["AllowedHeaders"]
    rules = bucket["LifecycleConfiguration"]["Rules"]
    assert {
        "Id": "expire-unit-imports",
        "Status": "Enabled",
        "Prefix": "unit-imports/",
        "ExpirationInDays": 7,
    } in rules


def test_the_outbox_clock_and_the_token_refresh_run_on_schedules(packaged: Json) -> None:
    for name in ("SweepOutbox", "RefreshZaloToken", "SendDealerNudges"):
        events = packaged["Resources"][name]["Properties"]["Events"]
        assert [e["Type"] for e in events.values()] == ["Schedule"], name
    sweep_queries = [
        r
        for s in role_of(packaged, "SweepOutbox")
        if "dynamodb:Query" in as_list(s["Action"])
        for r in as_list(s["Resource"])
    ]
    assert [r["Fn::Sub"].rsplit("/", 1)[-1] for r in sweep_queries] == ["due_index"]


# -- the rest of infra/ ----------------------------------------------------------------------


def test_user_pool_is_admin_only_with_one_group_per_staff_role(packaged: Json) -> None:
    from chalicelib.platform.auth import Role

    pool = packaged["Resources"]["UserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    groups = of_type(packaged, "AWS::Cognito::UserPoolGroup").values()
    assert sorted(g["Properties"]["GroupName"] for g in groups) == sorted(r.value for r in Role)
    client = packaged["Resources"]["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert sorted(client["ExplicitAuthFlows"]) == [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
    ]


@pytest.mark.parametrize("site", ["Portal", "Console"])
def test_a_static_sites_bucket_is_private_encrypted_and_versioned(
    packaged: Json, site: str
) -> None:
    bucket = packaged["Resources"][f"{site}Bucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}


def test_uploads_bucket_is_private_encrypted_and_forgets_label_files_after_7_days(
    packaged: Json,
) -> None:
    bucket = packaged["Resources"]["UploadsBucket"]
    props = bucket["Properties"]
    rules = props["LifecycleConfiguration"]["Rules"]
    expiring = {r["Prefix"]: r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r}
    aborting = [r for r in rules if "AbortIncompleteMultipartUpload" in r]
    policy = packaged["Resources"]["UploadsBucketPolicy"]["Properties"]

    assert bucket["Type"] == "AWS::S3::Bucket"
    assert "BucketName" not in props  # bucket names are global: CloudFormation picks one
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(props["PublicAccessBlockConfiguration"]) == 4
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    (encryption,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert all(r["Status"] == "Enabled" for r in rules)
    assert expiring == {
        "labels/": 7,
        "label-jobs/": 7,
        "unit-imports/": 7,
        "model-images/": 1,
        "brand-logos/": 1,
        "case-uploads/": 1,
        "ticket-uploads/": 1,
    }
    assert [(r.get("Prefix"), r["AbortIncompleteMultipartUpload"]) for r in aborting] == [
        (None, {"DaysAfterInitiation": 1})
    ]
    assert policy["Bucket"] == {"Ref": "UploadsBucket"}
    deny, media = policy["PolicyDocument"]["Statement"]
    assert (deny["Effect"], deny["Condition"]) == (
        "Deny",
        {"Bool": {"aws:SecureTransport": "false"}},
    )
    # the portal's distribution reads the model pictures (media/), nothing else of the bucket
    assert (media["Effect"], media["Principal"], media["Action"]) == (
        "Allow",
        {"Service": "cloudfront.amazonaws.com"},
        "s3:GetObject",
    )
    assert media["Resource"] == {"Fn::Sub": "${UploadsBucket.Arn}/media/*"}
    assert packaged["Outputs"]["UploadsBucketName"] == {"Value": {"Ref": "UploadsBucket"}}
    # the console's browser PUTs a model picture or an import's file to a presigned link and
    # reads what it fetches, the portal's a partner case's photo: their origins only
    (cors,) = props["CorsConfiguration"]["CorsRules"]
    assert (cors["AllowedOrigins"], cors["AllowedMethods"]) == (
        ["https://console-dev.example.vn", "https://bh-dev.example.vn"],
        ["PUT", "GET", "HEAD"],
    )


@pytest.mark.parametrize("site", ["Portal", "Console"])
def test_a_static_site_is_served_only_through_its_https_distribution(
    packaged: Json, site: str
) -> None:
    config = packaged["Resources"][f"{site}Distribution"]["Properties"]["DistributionConfig"]
    statements = packaged["Resources"][f"{site}BucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    readers = [s for s in statements if s["Effect"] == "Allow"]

    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["DefaultCacheBehavior"]["AllowedMethods"] == ["GET", "HEAD"]
    assert all(
        origin["OriginAccessControlId"] == {"Ref": f"{site}OriginAccessControl"}
        for origin in config["Origins"]
    )
    if site == "Portal":  # model pictures and logos, from the uploads bucket's media/
        (media,) = config["CacheBehaviors"]
        assert (media["PathPattern"], media["TargetOriginId"]) == ("/media/*", "uploads-media")
        assert media["ViewerProtocolPolicy"] == "redirect-to-https"
        assert len(config["Origins"]) == 2
    else:
        assert "CacheBehaviors" not in config and len(config["Origins"]) == 1
    assert {(e["ErrorCode"], e["ResponsePagePath"]) for e in config["CustomErrorResponses"]} == {
        (403, "/index.html"),
        (404, "/index.html"),
    }
    assert [r["Principal"] for r in readers] == [{"Service": "cloudfront.amazonaws.com"}]
    assert references(readers[0]["Condition"]["StringEquals"]["AWS:SourceArn"]) == {
        f"{site}Distribution"
    }
    assert packaged["Outputs"][f"{site}Url"] == {
        "Value": {"Fn::Sub": f"https://${{{site}Distribution.DomainName}}"}
    }


def test_api_gateway_answers_its_own_errors_in_our_shape(packaged: Json) -> None:
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in of_type(packaged, "AWS::ApiGateway::GatewayResponse").values()
    }
    api_id = next(iter(of_type(packaged, "AWS::Serverless::Api")))

    # an unknown path or a method no route has: 404 (API Gateway says 403, "Missing
    # Authentication Token"); any other refusal keeps its status with a generic code
    expected = {
        "MISSING_AUTHENTICATION_TOKEN": ("404", "route_not_found"),
        "DEFAULT_4XX": (None, "request_rejected"),
        "DEFAULT_5XX": (None, "internal_error"),
    }
    assert set(expected) <= set(responses)
    for kind, (status, code) in expected.items():
        properties = responses[kind]
        body = json.loads(properties["ResponseTemplates"]["application/json"])["error"]
        assert properties["RestApiId"] == {"Ref": api_id}
        assert properties.get("StatusCode") == status, kind
        assert body["code"] == code
        assert body["messages"] == both(code)
        assert body["message"] == both(code)["vi"]
        headers = properties["ResponseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/json; charset=utf-8'"
        assert headers["gatewayresponse.header.Cache-Control"] == "'no-store'"
        # a page on the portal or the console can read why the gateway refused it
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"


def test_check_packaged_reports_a_function_without_declared_permissions(packaged: Json) -> None:
    assert check_packaged(packaged) == []
    extra = json.loads(json.dumps(packaged))
    extra["Resources"]["SendReminders"] = {"Type": "AWS::Serverless::Function"}
    del extra["Resources"]["OnUnitChange"]["Type"]
    problems = check_packaged(extra)
    assert any("SendReminders has no declared permissions" in p for p in problems)
    assert any("no function OnUnitChange" in p for p in problems)


def test_a_zip_without_the_requirements_is_caught(built: Path) -> None:
    # The --no-deps zip holds the app alone: the check make package runs names what is missing.
    missing = missing_distributions(
        built / "package" / "deployment.zip", PROJECT_DIR / "requirements.txt"
    )
    assert {"pynamodb", "pyjwt", "cryptography", "aws-lambda-powertools"} <= set(missing)


def test_cfn_lint_passes_on_the_packaged_template(built: Path) -> None:
    command = [
        str(Path(sys.executable).parent / "cfn-lint"),
        "--config-file",
        str(CFNLINT_CONFIG),
        "--",
        str(built / "package" / "sam.json"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("function", "table"), [("OnBrandChange", "BrandsTable"), ("OnModelChange", "ModelsTable")]
)
def test_the_audit_feeders_read_their_stream_and_only_put_audit_entries(
    packaged: Json, function: str, table: str
) -> None:
    assert grants(packaged, function, "dynamodb") == {
        "AuditTable.Arn": {"dynamodb:PutItem"},
        f"{table}.StreamArn": {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
        },
        f"{table}.Arn/stream/*": {"dynamodb:ListStreams"},
    }
    assert not grants(packaged, function, "s3")
    # the units stream writes a batch's entries 25 to a call (a record at a time if that fails)
    assert grants(packaged, "OnUnitChange", "dynamodb")["AuditTable.Arn"] == {
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
    }


def test_the_api_records_staff_changes_reads_the_audit_log_and_manages_the_pools_users(
    packaged: Json,
) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    # DeleteItem: an erasure moves a customer's reveal entries to an id nothing derives from
    # the person (a put, then the old entry's delete); nothing else deletes an entry
    assert tables["AuditTable.Arn"] == {"dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"}
    assert tables["AuditTable.Arn/index/actor_index"] == {"dynamodb:Query"}
    assert tables["AuditTable.Arn/index/day_index"] == {"dynamodb:Query"}
    cognito = grants(packaged, "APIHandler", "cognito-idp")
    assert {"cognito-idp:AdminCreateUser", "cognito-idp:AdminDisableUser"} <= cognito[
        "UserPool.Arn"
    ]
    assert "cognito-idp:AdminDeleteUser" not in cognito["UserPool.Arn"]  # nobody is deleted


def test_a_function_declaring_a_table_twice_is_refused() -> None:
    # Two entries for one table would be two statements with one Sid (cfn-lint E3510): the
    # actions of one table are declared together.
    twice = FunctionSpec(
        handler="api_handler",
        description="",
        tables=(TableAccess("audit", (PUT,)), TableAccess("audit", (GET,))),
    )
    with pytest.raises(TemplateError, match="api_handler declares audit more than once"):
        role_policy(twice, cast(Any, None))  # refused before the stage's models are read


def test_the_api_decides_rewards_in_one_transaction_and_locks_months(packaged: Json) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    assert {"dynamodb:GetItem", "dynamodb:UpdateItem"} <= tables["RewardsTable.Arn"]
    assert tables["RewardsTable.Arn/index/period_index"] == {"dynamodb:Query"}
    assert tables["RewardPeriodsTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",  # the months a payout batch looks at
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
    }
    assert "dynamodb:PutItem" in tables["NotificationsTable.Arn"]  # reward_approved, in it
    assert "dynamodb:BatchGetItem" in tables["PartnersTable.Arn"]  # a ledger page's names


def test_the_api_keeps_partners_cases_and_their_private_photos(packaged: Json) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    assert tables["PartnerCasesTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert tables["PartnerCasesTable.Arn/index/partner_index"] == {"dynamodb:Query"}
    assert tables["PartnerCasesTable.Arn/index/status_index"] == {"dynamodb:Query"}
    assert "dynamodb:PutItem" in tables["NotificationsTable.Arn"]  # partner_case_answered
    s3 = grants(packaged, "APIHandler", "s3")
    # the stored photos are never public: not under media/, read by presigned links only
    assert s3["UploadsBucket.Arn/case-photos/*"] == {"s3:PutObject", "s3:GetObject"}


def test_the_api_makes_payout_batches_without_a_scan(packaged: Json) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    assert tables["RewardsTable.Arn/index/payable_index"] == {"dynamodb:Query"}
    assert {"dynamodb:BatchGetItem", "dynamodb:UpdateItem"} <= tables["RewardsTable.Arn"]
    assert tables["PayoutSettingsTable.Arn"] == {"dynamodb:PutItem", "dynamodb:Query"}
    assert tables["PayoutBatchesTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert tables["PayoutBatchesTable.Arn/index/brand_index"] == {"dynamodb:Query"}
    assert tables["PayoutLinesTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
    }
    assert not any("dynamodb:Scan" in actions for actions in tables.values())


def test_the_api_keeps_the_service_centres_and_their_users_without_a_scan(
    packaged: Json,
) -> None:
    tables = grants(packaged, "APIHandler", "dynamodb")

    assert tables["ServiceCentersTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    }
    assert tables["ServiceCentersTable.Arn/index/list_index"] == {"dynamodb:Query"}
    assert tables["ServiceCenterUsersTable.Arn"] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
    }
    assert tables["ServiceCenterUsersTable.Arn/index/center_index"] == {"dynamodb:Query"}
