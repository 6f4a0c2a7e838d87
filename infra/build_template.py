"""The merge template for ``chalice package --merge-template``: everything Chalice does not create,
and the settings Chalice cannot express.

    python -m infra.build_template --stage dev --out build/infra.json

- Tables come from ``ALL_TABLES`` (keys, indexes, stream, TTL exactly as the PynamoDB models
  say), named as the stage's functions will name them.
- The Chalice-generated stream event sources get the real stream ARN and safe retry settings.
- Each function's role gets exactly the permissions declared in :mod:`infra.functions`.
- The user pool, the portal's and the console's buckets (each behind its CloudFront
  distribution), the uploads bucket (label sheets and their inputs, kept 7 days), one
  on-failure queue per stream handler and its alarm.

Chalice merges dictionaries key by key and replaces everything else, so this template only
names the properties it sets; Chalice's own values (batch size, runtime, code) are kept.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalice.utils import to_cfn_resource_name

from infra.functions import FUNCTIONS, FunctionSpec, S3Access, TableAccess

if TYPE_CHECKING:
    from pynamodb.models import Model

    from chalicelib.core.settings import Settings

Json = dict[str, Any]

PROJECT_DIR = Path(__file__).resolve().parent.parent
TABLES_MODULE = "chalicelib.tables"

# DynamoDB keeps stream records for 24 h; the on-failure message only points at them (shard and
# sequence numbers), so a record given up after 6 h leaves 18 h to read it again and replay it.
MAX_RECORD_AGE_SECONDS = 6 * 60 * 60
FAILURE_RETENTION_SECONDS = 14 * 24 * 60 * 60  # SQS's maximum
LOG_RETENTION_DAYS = {"prod": 90}
DEFAULT_LOG_RETENTION_DAYS = 30
PARTITION_ARN = "arn:${AWS::Partition}"
UPLOADS_BUCKET = "UploadsBucket"
# What the uploads bucket keeps, and for how long: label sheets (PDF) and the lists of serials
# uploaded for a job. A download link to an older sheet answers 404 (NoSuchKey).
UPLOADS_EXPIRY_DAYS = {
    "labels/": 7,
    "label-jobs/": 7,
    "unit-imports/": 7,
    "model-images/": 1,
    "brand-logos/": 1,
    "case-uploads/": 1,  # a case photo's original, deleted once checked
    "ticket-uploads/": 1,  # a maintenance ticket photo's original, likewise
}
# Model pictures (thumbnails the API makes) are public: the portal distribution serves this
# prefix of the uploads bucket at /media/* (OAC), and nothing else of that bucket.
MEDIA_PREFIX = "media/"
ABORT_INCOMPLETE_UPLOADS_DAYS = 1
STAFF_GROUP_DESCRIPTIONS = {
    "admin": "Administrators: catalog, serials, users",
    "cs": "Customer service",
    "technician": "Technicians: claims and maintenance tickets",
    "accountant": "Accountants: rewards, payments, reconciliation",
    "director": "Directors: reports and overrides",
}


class TemplateError(RuntimeError):
    """The models, the declared permissions or the stage configuration disagree."""


@dataclass(frozen=True)
class StageModels:
    """The table models as one stage's Lambda functions see them."""

    stage: str
    settings: Settings
    tables: dict[str, type[Model]]  # short name (``units``) → model

    def table_id(self, short_name: str) -> str:
        if short_name not in self.tables:
            raise TemplateError(f"no model in ALL_TABLES has the table {short_name!r}")
        return table_logical_id(short_name)


def table_logical_id(short_name: str) -> str:
    """``units`` → ``UnitsTable``."""
    return f"{to_cfn_resource_name(short_name)}Table"


def stage_environment(project_dir: Path, stage: str) -> dict[str, str]:
    """The environment ``.chalice/config.json`` gives the stage's functions."""
    config = json.loads((project_dir / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stages = config.get("stages", {})
    if stage not in stages:
        raise TemplateError(f"stage {stage!r} is not in .chalice/config.json ({sorted(stages)})")
    merged = {
        **config.get("environment_variables", {}),
        **stages[stage].get("environment_variables", {}),
    }
    return {str(key): str(value) for key, value in merged.items()}


@contextlib.contextmanager
def _stage_environ(stage_env: dict[str, str]) -> Iterator[None]:
    # Only the stage's GARANTI_* variables count: one set in the caller's shell (say, a table
    # prefix) would name tables the deployed functions never look for.
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({k: v for k, v in saved.items() if not k.startswith("GARANTI_")})
    os.environ.update(stage_env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def load_stage_models(project_dir: Path, stage: str) -> StageModels:
    """Import the models under the stage's environment, so every ``Meta.table_name`` is the
    name the stage's functions compute. Must run before anything else imports the models
    (``TemplateError`` otherwise): run it in its own process."""
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    from chalicelib.core import settings as settings_module

    with _stage_environ(stage_environment(project_dir, stage)):
        settings = settings_module.get_settings.__wrapped__()
        if TABLES_MODULE in sys.modules:
            tables_module = sys.modules[TABLES_MODULE]  # checked below, the cache left alone
        else:
            # tables.py names the tables from get_settings() at import: the stage's settings
            # stay cached, as they are in the stage's functions.
            settings_module.get_settings.cache_clear()
            tables_module = importlib.import_module(TABLES_MODULE)
    prefix = f"{settings.table_prefix}-"
    tables: dict[str, type[Model]] = {}
    for model in tables_module.ALL_TABLES:
        name = model.Meta.table_name
        if not name.startswith(prefix):
            raise TemplateError(
                f"{model.__name__}.Meta.table_name is {name!r}, not {prefix}…: the models were "
                f"imported for another stage; build the template in a fresh process"
            )
        tables[name.removeprefix(prefix)] = model
    return StageModels(stage=stage, settings=settings, tables=tables)


def _keys(entries: Sequence[Any]) -> list[Json]:
    # DynamoDB wants the HASH key first, whatever order the attributes were declared in.
    keys = [{"AttributeName": e["AttributeName"], "KeyType": e["KeyType"]} for e in entries]
    return sorted(keys, key=lambda k: k["KeyType"] != "HASH")


def _index(schema: Any) -> Json:
    projection: Json = {"ProjectionType": schema["projection"]["ProjectionType"]}
    if "NonKeyAttributes" in schema["projection"]:
        projection["NonKeyAttributes"] = list(schema["projection"]["NonKeyAttributes"])
    return {
        "IndexName": schema["index_name"],
        "KeySchema": _keys(schema["key_schema"]),
        "Projection": projection,
    }


def ttl_attribute_name(model: type[Model]) -> str | None:
    from pynamodb.attributes import TTLAttribute

    for attribute in model.get_attributes().values():
        if isinstance(attribute, TTLAttribute):
            return attribute.attr_name
    return None


def table_resource(model: type[Model], table_name: str, stage: str) -> Json:
    """One ``AWS::DynamoDB::Table`` from a model, from the schema PynamoDB's own
    ``create_table`` sends, so the emulator's tables (created from the models) and AWS agree."""
    schema = model._get_schema()
    properties: Json = {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": sorted(
            (
                {"AttributeName": d["AttributeName"], "AttributeType": d["AttributeType"]}
                for d in schema["attribute_definitions"]
            ),
            key=lambda d: d["AttributeName"],
        ),
        "KeySchema": _keys(schema["key_schema"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
        "DeletionProtectionEnabled": stage == "prod",
    }
    if schema["global_secondary_indexes"]:
        properties["GlobalSecondaryIndexes"] = [
            _index(i) for i in sorted(schema["global_secondary_indexes"], key=_index_name)
        ]
    if schema["local_secondary_indexes"]:
        properties["LocalSecondaryIndexes"] = [
            _index(i) for i in sorted(schema["local_secondary_indexes"], key=_index_name)
        ]
    stream_view_type = getattr(model.Meta, "stream_view_type", None)
    if stream_view_type:
        properties["StreamSpecification"] = {"StreamViewType": stream_view_type}
    ttl = ttl_attribute_name(model)
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        # The data outlives the stack: deleting or replacing the stack never drops a table.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Metadata": {"garanti:model": f"{model.__module__}.{model.__qualname__}"},
        "Properties": properties,
    }


def _index_name(schema: Any) -> str:
    return str(schema["index_name"])


def _index_names(model: type[Model]) -> set[str]:
    schema = model._get_schema()
    indexes = [*schema["global_secondary_indexes"], *schema["local_secondary_indexes"]]
    return {str(i["index_name"]) for i in indexes}


def user_pool_resources(stage: str) -> Json:
    """Staff sign-in: admin-created users only, a group per role (``platform.auth``)."""
    from chalicelib.platform.auth import Role

    resources: Json = {
        "UserPool": {
            "Type": "AWS::Cognito::UserPool",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "UserPoolName": f"garanti-{stage}-staff",
                "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
                "Policies": {
                    "PasswordPolicy": {
                        "MinimumLength": 12,
                        "RequireLowercase": True,
                        "RequireUppercase": True,
                        "RequireNumbers": True,
                        "RequireSymbols": False,
                        "TemporaryPasswordValidityDays": 3,
                    }
                },
                "UsernameConfiguration": {"CaseSensitive": False},
                # No e-mail/SMS set up for the pool: an admin resets a forgotten password.
                "AccountRecoverySetting": {
                    "RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]
                },
                # /auth/login answers challenges (MFA, new password) with an error today.
                "MfaConfiguration": "OFF",
                "DeletionProtection": "ACTIVE" if stage == "prod" else "INACTIVE",
            },
        },
        "UserPoolClient": {
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {
                "UserPoolId": {"Ref": "UserPool"},
                "ClientName": f"garanti-{stage}-console",
                "GenerateSecret": False,
                "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "PreventUserExistenceErrors": "ENABLED",
                "EnableTokenRevocation": True,
                "AccessTokenValidity": 60,
                "IdTokenValidity": 60,
                "RefreshTokenValidity": 7,
                "TokenValidityUnits": {
                    "AccessToken": "minutes",
                    "IdToken": "minutes",
                    "RefreshToken": "days",
                },
            },
        },
    }
    for precedence, role in enumerate(Role):
        resources[f"UserPoolGroup{to_cfn_resource_name(role.value)}"] = {
            "Type": "AWS::Cognito::UserPoolGroup",
            "Properties": {
                "UserPoolId": {"Ref": "UserPool"},
                "GroupName": role.value,
                "Description": STAFF_GROUP_DESCRIPTIONS.get(role.value, role.value),
                "Precedence": precedence,
            },
        }
    return resources


# Every bucket: encrypted at rest, never public, no ACLs (the bucket owner owns every object).
PRIVATE_BUCKET: Json = {
    "BucketEncryption": {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        ]
    },
    "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    },
    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
}


def https_only(bucket_id: str) -> Json:
    """The bucket policy statement that refuses any request not made over TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [
            {"Fn::GetAtt": [bucket_id, "Arn"]},
            {"Fn::Sub": f"${{{bucket_id}.Arn}}/*"},
        ],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def media_origin(site: str) -> Json:
    """The uploads bucket as a second origin of a site's distribution, for ``/media/*``."""
    return {
        "Id": "uploads-media",
        "DomainName": {"Fn::GetAtt": [UPLOADS_BUCKET, "RegionalDomainName"]},
        "OriginAccessControlId": {"Ref": f"{site}OriginAccessControl"},
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }


MEDIA_BEHAVIOUR: Json = {
    # thumbnails are named by their content's digest: cached for long
    "PathPattern": f"/{MEDIA_PREFIX}*",
    "TargetOriginId": "uploads-media",
    "ViewerProtocolPolicy": "redirect-to-https",
    "AllowedMethods": ["GET", "HEAD"],
    "Compress": False,
    "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
}


def static_site_resources(site: str, comment: str, *, media: bool = False) -> Json:
    """A static site (the portal, the console): a private, versioned bucket read only by its
    CloudFront distribution (origin access control), HTTPS only, and every path that is not a
    file answered with ``index.html`` (the pages of a single-page app). ``media``: the site
    also serves the uploads bucket's ``media/`` (model pictures, logos) at ``/media/*``."""
    return {
        f"{site}Bucket": {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                **PRIVATE_BUCKET,
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {
                    "Rules": [
                        {
                            "Id": "expire-replaced-versions",
                            "Status": "Enabled",
                            "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                        }
                    ]
                },
            },
        },
        f"{site}BucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": f"{site}Bucket"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        https_only(f"{site}Bucket"),
                        {
                            # Only the site's CloudFront distribution reads the files (OAC).
                            "Sid": f"ReadThroughThe{site}Distribution",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": f"${{{site}Bucket.Arn}}/*"},
                            "Condition": {
                                "StringEquals": {
                                    "AWS:SourceArn": {
                                        "Fn::Sub": (
                                            f"{PARTITION_ARN}:cloudfront::${{AWS::AccountId}}:"
                                            f"distribution/${{{site}Distribution}}"
                                        )
                                    }
                                }
                            },
                        },
                    ],
                },
            },
        },
        f"{site}OriginAccessControl": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": {"Fn::Sub": f"${{AWS::StackName}}-{site.lower()}"},
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        },
        f"{site}Distribution": {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {
                "DistributionConfig": {
                    "Enabled": True,
                    "Comment": comment,
                    "DefaultRootObject": "index.html",
                    "HttpVersion": "http2and3",
                    "PriceClass": "PriceClass_200",  # includes Asia (Vietnam's edge locations)
                    "Origins": [
                        {
                            "Id": f"{site.lower()}-bucket",
                            "DomainName": {"Fn::GetAtt": [f"{site}Bucket", "RegionalDomainName"]},
                            "OriginAccessControlId": {"Ref": f"{site}OriginAccessControl"},
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        },
                        *([media_origin(site)] if media else []),
                    ],
                    **({"CacheBehaviors": [MEDIA_BEHAVIOUR]} if media else {}),
                    "DefaultCacheBehavior": {
                        "TargetOriginId": f"{site.lower()}-bucket",
                        "ViewerProtocolPolicy": "redirect-to-https",
                        "AllowedMethods": ["GET", "HEAD"],
                        "Compress": True,
                        # AWS's managed "CachingOptimized" policy
                        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                    },
                    # Routes such as /q/<token> or /units/<serial> are pages of the single-page
                    # app: a missing object (403 from a private bucket) answers index.html.
                    "CustomErrorResponses": [
                        {"ErrorCode": code, "ResponseCode": 200, "ResponsePagePath": "/index.html"}
                        for code in (403, 404)
                    ],
                }
            },
        },
    }


def uploads_cors(console_origin: str, portal_origin: str) -> Json:
    """The console's pages PUT files to presigned links (unit imports, pictures, a case's photo)
    and read the answer, and the portal's partner pages PUT a case's photo; nothing else may
    call the bucket from a browser. The devstack's bucket gets the same."""
    return {
        "CORSRules": [
            {
                "AllowedOrigins": list(dict.fromkeys([console_origin, portal_origin])),
                "AllowedMethods": ["PUT", "GET", "HEAD"],
                "AllowedHeaders": ["Content-Type"],
                "ExposeHeaders": ["ETag"],
                "MaxAgeSeconds": 600,
            }
        ]
    }


def _cloudformation_cors(api: Json) -> Json:
    """S3's API spelling (``CORSRules``, ``ExposeHeaders``, ``MaxAgeSeconds``) in
    CloudFormation's (``CorsRules``, ``ExposedHeaders``, ``MaxAge``)."""
    names = {"ExposeHeaders": "ExposedHeaders", "MaxAgeSeconds": "MaxAge"}
    return {
        "CorsRules": [
            {names.get(key, key): value for key, value in rule.items()} for rule in api["CORSRules"]
        ]
    }


def uploads_bucket_resources(console_origin: str, portal_origin: str) -> Json:
    """Files the app writes and reads itself (label sheets, uploaded lists of serials, unit
    imports): private, reached only through the functions' roles and the presigned links they
    sign; short-lived."""
    return {
        UPLOADS_BUCKET: {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                **PRIVATE_BUCKET,
                "CorsConfiguration": _cloudformation_cors(
                    uploads_cors(console_origin, portal_origin)
                ),
                "LifecycleConfiguration": {
                    "Rules": [
                        {
                            "Id": f"expire-{prefix.rstrip('/')}",
                            "Status": "Enabled",
                            "Prefix": prefix,
                            "ExpirationInDays": days,
                        }
                        for prefix, days in UPLOADS_EXPIRY_DAYS.items()
                    ]
                    + [
                        {
                            "Id": "abort-incomplete-uploads",
                            "Status": "Enabled",
                            "AbortIncompleteMultipartUpload": {
                                "DaysAfterInitiation": ABORT_INCOMPLETE_UPLOADS_DAYS
                            },
                        }
                    ]
                },
            },
        },
        "UploadsBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": UPLOADS_BUCKET},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        https_only(UPLOADS_BUCKET),
                        {
                            # The portal's distribution reads model pictures, nothing else.
                            "Sid": "MediaThroughThePortalDistribution",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": f"${{{UPLOADS_BUCKET}.Arn}}/{MEDIA_PREFIX}*"},
                            "Condition": {
                                "StringEquals": {
                                    "AWS:SourceArn": {
                                        "Fn::Sub": (
                                            f"{PARTITION_ARN}:cloudfront::${{AWS::AccountId}}:"
                                            "distribution/${PortalDistribution}"
                                        )
                                    }
                                }
                            },
                        },
                    ],
                },
            },
        },
    }


def function_name(spec: FunctionSpec, stage: str) -> str:
    """``garanti-<stage>-<handler>``: Chalice's own naming, fixed so logs have a known home."""
    return f"garanti-{stage}-{spec.handler}"


def failure_queue_id(spec: FunctionSpec) -> str:
    return f"{spec.function_id}FailureQueue"


def log_group_id(spec: FunctionSpec) -> str:
    return f"{spec.function_id}LogGroup"


def parameter_arn(parameter_name: str) -> Json:
    name = parameter_name.lstrip("/")
    return {"Fn::Sub": f"{PARTITION_ARN}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{name}"}


def secrets_parameter_arn(settings: Settings) -> Json:
    return parameter_arn(settings.secrets_parameter)


DELIVERY_FAILURES_QUEUE = "DeliveryFailuresQueue"


def delivery_failures_resources(settings: Settings) -> Json:
    """The queue a message that needs a person is parked on (by id), and its alarm."""
    return queue_with_alarm(
        DELIVERY_FAILURES_QUEUE,
        "DeliveryFailuresAlarm",
        settings.delivery_failures_queue,
        "Messages need a person (provider config, funds, retries spent, ambiguous sends): "
        "look them up in the console and retry them there.",
    )


def _parameter_statements(sid: str, parameter: Json) -> list[Json]:
    return [
        {
            "Sid": f"Read{sid}",
            "Effect": "Allow",
            "Action": ["ssm:GetParameter"],
            "Resource": parameter,
        },
        {
            # The SecureString's key, whichever it is, only through SSM and only for this
            # parameter (SSM puts the parameter's ARN in the encryption context).
            "Sid": f"Decrypt{sid}",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": {
                "Fn::Sub": f"{PARTITION_ARN}:kms:${{AWS::Region}}:${{AWS::AccountId}}:key/*"
            },
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": {"Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"},
                    "kms:EncryptionContext:PARAMETER_ARN": parameter,
                }
            },
        },
    ]


def stream_failure_resources(spec: FunctionSpec, stage: str) -> Json:
    """Where a stream handler's given-up batches go, and the alarm that says so."""
    return queue_with_alarm(
        failure_queue_id(spec),
        f"{spec.function_id}FailureAlarm",
        f"garanti-{stage}-{spec.handler}-failures",
        f"{spec.handler} gave up on stream records: read them from the stream "
        "(within 24 h) and replay them.",
    )


def queue_with_alarm(queue_id: str, alarm_id: str, name: str, description: str) -> Json:
    """An SQS queue that should stay empty (14 days' retention) and the alarm on its depth."""
    return {
        queue_id: {
            "Type": "AWS::SQS::Queue",
            # Failure pointers live with the stack; a replaced queue keeps its messages.
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "QueueName": name,
                "MessageRetentionPeriod": FAILURE_RETENTION_SECONDS,
                "SqsManagedSseEnabled": True,
            },
        },
        alarm_id: {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmName": name,
                "AlarmDescription": description,
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [
                    {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}}
                ],
                "Statistic": "Maximum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "AlarmTopic"}],
                "OKActions": [{"Ref": "AlarmTopic"}],
            },
        },
    }


def _table_statements(access: TableAccess, models: StageModels) -> list[Json]:
    table_id = models.table_id(access.table)
    sid = to_cfn_resource_name(access.table)
    statements: list[Json] = []
    if access.actions:
        statements.append(
            {
                "Sid": f"{sid}Items",
                "Effect": "Allow",
                "Action": sorted(access.actions),
                "Resource": {"Fn::GetAtt": [table_id, "Arn"]},
            }
        )
    if access.indexes:
        known = _index_names(models.tables[access.table])
        unknown = sorted(set(access.indexes) - known)
        if unknown:
            raise TemplateError(f"table {access.table!r} has no index {unknown} ({sorted(known)})")
        statements.append(
            {
                "Sid": f"{sid}Indexes",
                "Effect": "Allow",
                "Action": ["dynamodb:Query"],
                "Resource": [
                    {"Fn::Sub": f"${{{table_id}.Arn}}/index/{name}"}
                    for name in sorted(access.indexes)
                ],
            }
        )
    return statements


def _stream_statements(table: str, models: StageModels) -> list[Json]:
    table_id = models.table_id(table)
    if not getattr(models.tables[table].Meta, "stream_view_type", None):
        raise TemplateError(f"table {table!r} has no stream (Meta.stream_view_type)")
    sid = to_cfn_resource_name(table)
    return [
        {
            "Sid": f"Read{sid}Stream",
            "Effect": "Allow",
            "Action": [
                "dynamodb:DescribeStream",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
            ],
            "Resource": {"Fn::GetAtt": [table_id, "StreamArn"]},
        },
        {
            "Sid": f"List{sid}Streams",
            "Effect": "Allow",
            "Action": ["dynamodb:ListStreams"],
            "Resource": {"Fn::Sub": f"${{{table_id}.Arn}}/stream/*"},
        },
    ]


def _upload_statements(uploads: Sequence[S3Access]) -> list[Json]:
    """One statement per key prefix of the uploads bucket: its objects, nothing above them."""
    statements: list[Json] = []
    for access in uploads:
        prefix = access.prefix
        if not prefix.endswith("/") or prefix.startswith("/") or any(c in prefix for c in "*?"):
            raise TemplateError(f"uploads prefix {prefix!r}: a folder such as 'labels/'")
        if not access.actions or not all(a.startswith("s3:") for a in access.actions):
            raise TemplateError(f"uploads prefix {prefix!r}: name its s3: actions")
        sid = "Uploads" + "".join(p.capitalize() for p in re.split(r"[^A-Za-z0-9]+", prefix))
        if any(s["Sid"] == sid for s in statements):
            raise TemplateError(f"uploads prefix {prefix!r} is declared twice")
        statements.append(
            {
                "Sid": sid,
                "Effect": "Allow",
                "Action": sorted(access.actions),
                "Resource": {"Fn::Sub": f"${{{UPLOADS_BUCKET}.Arn}}/{prefix}*"},
            }
        )
    return statements


def role_policy(spec: FunctionSpec, models: StageModels) -> Json:
    """The function's one inline policy: its own log group, then what it declared."""
    statements: list[Json] = [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": [log_group_id(spec), "Arn"]},
        }
    ]
    named = [access.table for access in spec.tables]
    twice = sorted({table for table in named if named.count(table) > 1})
    if twice:  # one entry per table, its actions together (two would be two statements, one Sid)
        raise TemplateError(f"{spec.handler} declares {', '.join(twice)} more than once")
    for access in spec.tables:
        statements.extend(_table_statements(access, models))
    if spec.stream_table is not None:
        statements.extend(_stream_statements(spec.stream_table, models))
        statements.append(
            {
                "Sid": "SendFailedBatches",
                "Effect": "Allow",
                "Action": ["sqs:SendMessage"],
                "Resource": {"Fn::GetAtt": [failure_queue_id(spec), "Arn"]},
            }
        )
    statements.extend(_upload_statements(spec.uploads))
    if spec.reads_secrets:
        statements.extend(_parameter_statements("Secrets", secrets_parameter_arn(models.settings)))
    if spec.reads_messaging:
        messaging = parameter_arn(models.settings.messaging_parameter)
        statements.extend(_parameter_statements("Messaging", messaging))
    if spec.sends_alerts:
        statements.append(
            {
                "Sid": "ParkDeliveryFailures",
                "Effect": "Allow",
                "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"],
                "Resource": {"Fn::GetAtt": [DELIVERY_FAILURES_QUEUE, "Arn"]},
            }
        )
    if spec.cognito_actions:
        statements.append(
            {
                "Sid": "SignInStaff",
                "Effect": "Allow",
                "Action": sorted(spec.cognito_actions),
                "Resource": {"Fn::GetAtt": ["UserPool", "Arn"]},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def stream_event_properties(spec: FunctionSpec, models: StageModels) -> Json:
    """What Chalice's ``on_dynamodb_record`` cannot say. Its own ``BatchSize`` is kept."""
    assert spec.stream_table is not None
    return {
        "Stream": {"Fn::GetAtt": [models.table_id(spec.stream_table), "StreamArn"]},
        # From the oldest record: nothing written before the mapping existed is skipped.
        "StartingPosition": "TRIM_HORIZON",
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        # Finite retries, a maximum age and bisection: a poison record cannot block its shard
        # for 24 h; once given up it is reported to the failure queue. The devstack poller
        # reads the same retry count from settings.
        "MaximumRetryAttempts": models.settings.max_stream_retries,
        "MaximumRecordAgeInSeconds": MAX_RECORD_AGE_SECONDS,
        "BisectBatchOnFunctionError": True,
        "DestinationConfig": {
            "OnFailure": {"Destination": {"Fn::GetAtt": [failure_queue_id(spec), "Arn"]}}
        },
    }


def function_resources(spec: FunctionSpec, models: StageModels) -> Json:
    """Overrides for one Chalice function and its role, plus what only it uses."""
    stage = models.stage
    name = function_name(spec, stage)
    function: Json = {
        "FunctionName": name,
        "Description": spec.description,
        "Environment": {
            "Variables": {
                "GARANTI_COGNITO_USER_POOL_ID": {"Ref": "UserPool"},
                "GARANTI_COGNITO_CLIENT_ID": {"Ref": "UserPoolClient"},
                "GARANTI_UPLOADS_BUCKET": {"Ref": UPLOADS_BUCKET},
            }
        },
    }
    resources: Json = {
        log_group_id(spec): {
            "Type": "AWS::Logs::LogGroup",
            # Logs live with the stack (a kept group would block creating it again); a
            # replaced group (renamed function) keeps its logs.
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "LogGroupName": f"/aws/lambda/{name}",
                "RetentionInDays": LOG_RETENTION_DAYS.get(stage, DEFAULT_LOG_RETENTION_DAYS),
            },
        },
        spec.role_id: {
            "Properties": {
                "Policies": [
                    {
                        "PolicyName": f"{spec.role_id}Policy",
                        "PolicyDocument": role_policy(spec, models),
                    }
                ]
            }
        },
    }
    if spec.stream_table is not None:
        function["Events"] = {spec.event_id: {"Properties": stream_event_properties(spec, models)}}
        resources.update(stream_failure_resources(spec, stage))
    resources[spec.function_id] = {"Properties": function}
    return resources


# API Gateway's own answers (no route matched, a throttle, an integration that failed) in the
# API's error shape; a status of None keeps the one API Gateway chose. An unknown path (and a
# method no route has) is MISSING_AUTHENTICATION_TOKEN: 403 "Missing Authentication Token"
# unless answered 404 here. Chalice's 405 and 500 come from the Lambda and are reshaped there.
GATEWAY_RESPONSES: dict[str, tuple[str | None, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": ("404", "route_not_found"),
    "DEFAULT_4XX": (None, "request_rejected"),
    "DEFAULT_5XX": (None, "internal_error"),
}
REST_API_ID = "RestAPI"  # the logical id chalice package gives the API


def gateway_error_body(code: str) -> str:
    """The error body for ``code``, Vietnamese first (a gateway response cannot read
    ``Accept-Language``), as a literal mapping template."""
    from chalicelib.core.i18n import DEFAULT_LANGUAGE, both

    messages = both(code)
    body = json.dumps(
        {"error": {"code": code, "message": messages[DEFAULT_LANGUAGE], "messages": messages}},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if "$" in body or "#" in body:  # the template is Velocity: these would be read as code
        raise TemplateError(f"the message of {code} holds a Velocity character ($ or #)")
    return body


def gateway_response_resources() -> Json:
    from chalicelib.platform.http import OUTSIDE_A_ROUTE_CORS

    resources: Json = {}
    for kind, (status, code) in GATEWAY_RESPONSES.items():
        properties: Json = {
            "RestApiId": {"Ref": REST_API_ID},
            "ResponseType": kind,
            "ResponseParameters": {
                "gatewayresponse.header.Content-Type": "'application/json; charset=utf-8'",
                "gatewayresponse.header.Cache-Control": "'no-store'",
                **{
                    f"gatewayresponse.header.{name}": f"'{value}'"
                    for name, value in OUTSIDE_A_ROUTE_CORS.items()
                },
            },
            "ResponseTemplates": {"application/json": gateway_error_body(code)},
        }
        if status is not None:
            properties["StatusCode"] = status
        logical_id = "GatewayResponse" + to_cfn_resource_name(kind.lower())
        resources[logical_id] = {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": properties,
        }
    return resources


def build_template(models: StageModels) -> Json:
    """The whole merge template for one stage."""
    stage = models.stage
    resources: Json = {}
    outputs: Json = {}
    for short_name, model in sorted(models.tables.items()):
        table_id = table_logical_id(short_name)
        resources[table_id] = table_resource(model, model.Meta.table_name, stage)
        outputs[f"{table_id}Name"] = {"Value": {"Ref": table_id}}
    resources.update(user_pool_resources(stage))
    resources.update(static_site_resources("Portal", "Garanti customer portal", media=True))
    resources.update(static_site_resources("Console", "Garanti staff console"))
    resources.update(
        uploads_bucket_resources(models.settings.console_url, models.settings.portal_url)
    )
    resources.update(gateway_response_resources())
    resources["AlarmTopic"] = {
        "Type": "AWS::SNS::Topic",
        "Properties": {"TopicName": f"garanti-{stage}-alarms"},
    }
    resources.update(delivery_failures_resources(models.settings))
    outputs["DeliveryFailuresQueueUrl"] = {"Value": {"Ref": DELIVERY_FAILURES_QUEUE}}
    for spec in FUNCTIONS:
        resources.update(function_resources(spec, models))
        if spec.stream_table is not None:
            outputs[f"{failure_queue_id(spec)}Url"] = {"Value": {"Ref": failure_queue_id(spec)}}
    outputs.update(
        {
            "UserPoolId": {"Value": {"Ref": "UserPool"}},
            "UserPoolClientId": {"Value": {"Ref": "UserPoolClient"}},
            "PortalBucketName": {"Value": {"Ref": "PortalBucket"}},
            "PortalUrl": {"Value": {"Fn::Sub": "https://${PortalDistribution.DomainName}"}},
            "ConsoleBucketName": {"Value": {"Ref": "ConsoleBucket"}},
            "ConsoleUrl": {"Value": {"Fn::Sub": "https://${ConsoleDistribution.DomainName}"}},
            "UploadsBucketName": {"Value": {"Ref": UPLOADS_BUCKET}},
            "AlarmTopicArn": {"Value": {"Ref": "AlarmTopic"}},
        }
    )
    return {
        "Description": (
            f"Garanti ({stage}): API, stream handlers, tables, sign-in, portal, console and "
            "uploads buckets."
        ),
        "Resources": resources,
        "Outputs": outputs,
    }


def write_template(template: Json, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(template, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stage", default="dev", help="a stage of .chalice/config.json")
    parser.add_argument("--out", type=Path, default=Path("build/infra.json"))
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    args = parser.parse_args(argv)
    try:
        models = load_stage_models(args.project_dir.resolve(), args.stage)
        write_template(build_template(models), args.out)
    except TemplateError as exc:
        print(f"infra: {exc}", file=sys.stderr)
        return 1
    print(f"infra: merge template for {args.stage} written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
