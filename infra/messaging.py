"""The messaging settings of a stage, for the person who deploys it.

- ``python -m infra.messaging example`` prints a settings document to fill in (providers,
  credentials, ZNS templates, costs, the spend cap) with a fresh hooks path token;
- ``python -m infra.messaging check settings.json`` validates a filled-in document exactly as
  the app will (the error names the field, never a value) and prints the callback URLs to give
  the providers;
- ``python -m infra.messaging put settings.json --stage dev`` prints the ``aws ssm
  put-parameter`` command to store it;
- ``python -m infra.messaging seed-zalo --stage dev --brand demo < pair.json`` installs the OA's
  first token pair (``{"access_token": …, "refresh_token": …, "expires_in": 90000}``, from the
  OA consent) into the stage's ``provider_tokens`` table, and after any re-consent.

Secrets are read from files or standard input and never printed except in the command whose
whole purpose is to carry them to SSM.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import sys
from pathlib import Path

from chalicelib.messaging.config import MessagingConfigError, parse_messaging_config

EXAMPLE_BRAND = {
    "zns": {
        "app_id": "<Zalo app id>",
        "oa_id": "<Zalo OA id>",
        "secret_key": "<Zalo app secret key>",
        "webhook_secret": "<OA secret key (webhook signature)>",
    },
    "sms": {
        "provider": "esms",
        "esms": {
            "api_key": "<eSMS ApiKey>",
            "secret_key": "<eSMS SecretKey>",
            "brandname": "<registered brandname>",
            "mo_private_key": "<eSMS MO private key>",
            "mo_cpid": "<eSMS cpid>",
        },
    },
    "templates": {
        "activation_confirmed": {
            "zns_template_id": "<approved ZNS template id>",
            "zns_params": {
                "customer": "customer_name",
                "product": "model",
                "serial": "serial",
                "warranty_end": "warranty_end",
            },
        },
        "lookup_code": {"zns_template_id": "<OTP template id>", "zns_params": {"otp": "code"}},
    },
    "unit_cost_vnd": {"zns": "300", "sms": "850"},
    "daily_spend_cap_vnd": "2000000",
    "night_window": True,
}


def example(public_url: str) -> dict[str, object]:
    return {
        "hooks": {"public_url": public_url, "path_token": secrets.token_urlsafe(32)},
        "brands": {"<brand id>": EXAMPLE_BRAND},
    }


def check(raw: str) -> list[str]:
    """The callback URLs of a valid document; raises ``MessagingConfigError`` otherwise."""
    config = parse_messaging_config(raw)
    base = config.hooks.public_url.rstrip("/")
    token = config.hooks.path_token
    return [
        f"Zalo OA webhook:      {base}/hooks/zalo",
        f"eSMS delivery report: {base}/hooks/esms/dlr/{token}   (sent with each SMS)",
        f"eSMS inbound (MO):    {base}/hooks/esms/mo",
        f"SpeedSMS callbacks:   {base}/hooks/speedsms/{token}",
        f"Twilio status:        {base}/hooks/twilio/status   (sent with each SMS)",
    ]


def seed_zalo(stage: str, brand: str, raw_pair: str) -> str:
    """Install the OA's token pair for ``brand`` of ``stage``; returns the token id."""
    os.environ.setdefault("GARANTI_STAGE", stage)
    from chalicelib.core.settings import get_settings
    from chalicelib.messaging import wiring as messaging_wiring
    from chalicelib.messaging.providers.zns import TokenPair

    if get_settings().stage != stage:
        raise SystemExit(f"GARANTI_STAGE is {get_settings().stage!r}, not {stage!r}")
    pair = json.loads(raw_pair)
    config = messaging_wiring.messaging_config().brand(brand)
    if config.zns is None:
        raise SystemExit(f"brand {brand!r} has no zns block in /garanti/{stage}/messaging")
    from chalicelib.messaging.wiring import zalo_token_store

    store = zalo_token_store(config)
    assert store is not None
    store.seed(
        TokenPair(
            str(pair["access_token"]),
            str(pair["refresh_token"]),
            int(pair.get("expires_in") or 0) or None,
        )
    )
    return config.zns.token_id


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    ex = commands.add_parser("example", help="print a settings document to fill in")
    ex.add_argument("--public-url", default="https://api.example.vn")
    ch = commands.add_parser("check", help="validate a settings document")
    ch.add_argument("file", type=Path)
    put = commands.add_parser("put", help="print the aws ssm put-parameter command")
    put.add_argument("file", type=Path)
    put.add_argument("--stage", required=True, choices=("dev", "prod"))
    seed = commands.add_parser("seed-zalo", help="install the OA token pair (JSON on stdin)")
    seed.add_argument("--stage", required=True, choices=("dev", "prod"))
    seed.add_argument("--brand", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "example":
            print(json.dumps(example(args.public_url), indent=2, ensure_ascii=False))
        elif args.command == "check":
            print("\n".join(check(args.file.read_text(encoding="utf-8"))))
        elif args.command == "put":
            raw = args.file.read_text(encoding="utf-8")
            check(raw)
            value = json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False)
            print(
                "aws ssm put-parameter --type SecureString --overwrite --name "
                f"/garanti/{args.stage}/messaging --value {shlex.quote(value)}"
            )
        else:
            print("installed", seed_zalo(args.stage, args.brand, sys.stdin.read()))
    except MessagingConfigError as exc:
        raise SystemExit(str(exc)) from None


if __name__ == "__main__":
    main()
