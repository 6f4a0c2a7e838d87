"""Provisioning the emulator on every start (it starts empty): secrets, Cognito, tables, the
uploads bucket.

Each step is idempotent, so it also works against an emulator that already has the resources.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from chalicelib.platform.auth import Role
from chalicelib.platform.secrets import generate_secrets
from devstack.demo_users import DemoUser

logger = logging.getLogger(__name__)

USER_POOL_NAME = "garanti-local"
APP_CLIENT_NAME = "garanti-local-web"
TABLE_WORKERS = 4


# -- secrets (SSM) ------------------------------------------------------------------------------


def load_or_create_secrets(path: Path) -> str:
    """The stack's secrets JSON, generated once and kept so printed QR codes keep verifying."""
    if path.exists():
        return path.read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(generate_secrets(), indent=2)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(raw)
    logger.info("generated local secrets", extra={"path": str(path)})
    return raw


def put_secrets(ssm: Any, parameter_name: str, secrets_path: Path) -> None:
    """Store the secrets JSON as the SecureString ``parameter_name`` (overwriting)."""
    ssm.put_parameter(
        Name=parameter_name,
        Value=load_or_create_secrets(secrets_path),
        Type="SecureString",
        Overwrite=True,
    )


def messaging_config(public_url: str, path_token: str, brands: dict[str, Any] | None = None) -> str:
    """The messaging parameter's JSON: where providers call back, and each brand's providers.
    No brand: every message goes to the dev inbox (the ``local`` stage only)."""
    return json.dumps(
        {"hooks": {"public_url": public_url, "path_token": path_token}, "brands": brands or {}}
    )


def put_messaging(ssm: Any, parameter_name: str, config_json: str) -> None:
    """Store the messaging settings as the SecureString ``parameter_name`` (overwriting)."""
    ssm.put_parameter(Name=parameter_name, Value=config_json, Type="SecureString", Overwrite=True)


def create_queue(sqs: Any, name: str) -> str:
    """The delivery-failures queue (idempotent: the same name gives the same queue)."""
    return str(sqs.create_queue(QueueName=name)["QueueUrl"])


def allow_browser_uploads(s3: Any, name: str, origin: str, portal_origin: str) -> None:
    """CORS on the bucket for the console's origin and the portal's: the browser PUTs a file to
    a presigned link (an import, a model's image, a partner case's photo) and reads the answer;
    the template's bucket has the same rule (``infra.build_template.uploads_cors``). Set on
    every start: the origins follow the ports."""
    from infra.build_template import uploads_cors

    s3.put_bucket_cors(Bucket=name, CORSConfiguration=uploads_cors(origin, portal_origin))


def create_bucket(s3: Any, name: str, region: str) -> bool:
    """The bucket ``name`` in ``region`` unless it exists; True when it was created."""
    try:
        s3.head_bucket(Bucket=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
            raise
    else:
        return False
    location = {} if region == "us-east-1" else {"LocationConstraint": region}
    s3.create_bucket(Bucket=name, **({"CreateBucketConfiguration": location} if location else {}))
    logger.info("bucket created", extra={"bucket": name})
    return True


# -- Cognito ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CognitoSetup:
    user_pool_id: str
    client_id: str
    issuer: str
    jwks_url: str

    def environment(self) -> dict[str, str]:
        return {
            "GARANTI_COGNITO_USER_POOL_ID": self.user_pool_id,
            "GARANTI_COGNITO_CLIENT_ID": self.client_id,
            "GARANTI_COGNITO_ISSUER": self.issuer,
            "GARANTI_COGNITO_JWKS_URL": self.jwks_url,
        }


def _find_pool(cognito: Any, name: str) -> str | None:
    kwargs: dict[str, Any] = {"MaxResults": 60}
    while True:
        page = cognito.list_user_pools(**kwargs)
        for pool in page.get("UserPools", []):
            if pool.get("Name") == name:
                return str(pool["Id"])
        if not page.get("NextToken"):
            return None
        kwargs["NextToken"] = page["NextToken"]


def _find_client(cognito: Any, pool_id: str, name: str) -> str | None:
    page = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    for client in page.get("UserPoolClients", []):
        if client.get("ClientName") == name:
            return str(client["ClientId"])
    return None


def provision_cognito(
    cognito: Any, *, region: str, emulator_url: str, users: Sequence[DemoUser]
) -> CognitoSetup:
    """User pool ``garanti-local``, a public app client, one group and one user per role.

    The emulator signs tokens with the real AWS issuer but serves the JWKS itself, so issuer
    and JWKS URL are configured apart.
    """
    pool_id = _find_pool(cognito, USER_POOL_NAME) or str(
        cognito.create_user_pool(
            PoolName=USER_POOL_NAME,
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": 8,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": True,
                }
            },
        )["UserPool"]["Id"]
    )
    client_id = _find_client(cognito, pool_id, APP_CLIENT_NAME) or str(
        cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=APP_CLIENT_NAME,
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
    )
    existing_groups = {
        group["GroupName"]
        for group in cognito.list_groups(UserPoolId=pool_id, Limit=60).get("Groups", [])
    }
    # every role's group, a user of it or not (the pool's groups are the roles: infra makes the
    # same from platform.auth.Role), then each demo user's
    wanted = [role.value for role in Role] + [user.group for user in users]
    for group in dict.fromkeys(wanted):
        if group not in existing_groups:
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
    for user in users:
        _recreate_user(cognito, pool_id, user)
    logger.info("cognito ready", extra={"user_pool": pool_id, "users": len(users)})
    return CognitoSetup(
        user_pool_id=pool_id,
        client_id=client_id,
        issuer=f"https://cognito-idp.{region}.amazonaws.com/{pool_id}",
        jwks_url=f"{emulator_url}/{pool_id}/.well-known/jwks.json",
    )


def _recreate_user(cognito: Any, pool_id: str, user: DemoUser) -> None:
    with contextlib.suppress(cognito.exceptions.UserNotFoundException):  # first start
        cognito.admin_delete_user(UserPoolId=pool_id, Username=user.username)
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=user.username,
        TemporaryPassword=secrets.token_urlsafe(12) + "Aa1!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": user.phone}] if user.phone else [],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=user.username, Password=user.password, Permanent=True
    )
    cognito.admin_add_user_to_group(
        UserPoolId=pool_id, Username=user.username, GroupName=user.group
    )


# -- tables -------------------------------------------------------------------------------------


def ttl_attribute_name(model: type[Model]) -> str | None:
    """The DynamoDB name of the model's ``TTLAttribute``, if it has one."""
    for attribute in model.get_attributes().values():
        if isinstance(attribute, TTLAttribute):
            return str(attribute.attr_name)
    return None


def enable_ttl(dynamodb: Any, table_name: str, attribute_name: str) -> None:
    described = dynamodb.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    if (
        described.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        and described.get("AttributeName") == attribute_name
    ):
        return
    dynamodb.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute_name},
    )


def add_missing_indexes(model: type[Model], dynamodb: Any) -> list[str]:
    """Create the model's global secondary indexes its existing table lacks (a table made by an
    older model); returns their names. DynamoDB fills a new index from the items already there.
    """
    table_name = str(model.Meta.table_name)
    table = dynamodb.describe_table(TableName=table_name)["Table"]
    existing = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
    schema = model._get_schema()
    added = []
    for index in schema["global_secondary_indexes"]:
        if index["index_name"] in existing:
            continue
        dynamodb.update_table(
            TableName=table_name,
            AttributeDefinitions=schema["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": index["index_name"],
                        "KeySchema": index["key_schema"],
                        "Projection": index["projection"],
                    }
                }
            ],
        )
        added.append(str(index["index_name"]))
    if added:
        logger.info("indexes added", extra={"table": table_name, "indexes": added})
    return added


def create_tables(models: Iterable[type[Model]], dynamodb: Any) -> list[str]:
    """Create each model's table as its ``Meta`` says (billing, stream, TTL); a table that
    exists gets the indexes and the TTL its model added since.

    One listing first, so a new table costs its creation and TTL only (the emulator makes it
    active at once); the tables are made a few at a time (38 one by one took 6 s a start)."""
    from devstack.state import list_table_names

    models = list(models)
    existing = set(list_table_names(dynamodb))

    def ready(model: type[Model]) -> str:
        table_name = str(model.Meta.table_name)
        if table_name not in existing:
            model.create_table()  # its TTL too
            return table_name
        add_missing_indexes(model, dynamodb)
        ttl = ttl_attribute_name(model)
        if ttl is not None:
            enable_ttl(dynamodb, table_name, ttl)
        return table_name

    with ThreadPoolExecutor(max_workers=TABLE_WORKERS) as pool:
        names = list(pool.map(ready, models))
    logger.info("tables ready", extra={"tables": len(names)})
    return names
