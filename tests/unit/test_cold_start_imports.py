"""What the API function imports at a cold start: the outbox, the sender and the provider
adapters load with the first request or record that needs them, never with ``import app``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from chalicelib.labels import events as label_job_changes
from chalicelib.labels.jobs import LabelJobStatus
from chalicelib.messaging import events as notification_changes
from chalicelib.outbox.model import DeliveryState

REPO = Path(__file__).resolve().parents[2]
LAZY = (
    "pydantic",
    "chalicelib.messaging.sender",
    "chalicelib.activation.inbound_service",
    "chalicelib.outbox.repository",
    "chalicelib.messaging.config",
    "chalicelib.messaging.providers.http",
    "chalicelib.messaging.providers.zns",
    # label sheets: the QR library, the PDF writer, the renderer and the jobs load on first use
    "qrcode",
    "png",
    "chalicelib.labels.qr_codes",
    "chalicelib.labels.pdf",
    "chalicelib.labels.sheets",
    "chalicelib.labels.service",
    "chalicelib.labels.job_repository",
)


def test_importing_the_app_leaves_the_messaging_and_label_modules_for_later() -> None:
    code = f"import sys, json, app; print(json.dumps([m for m in {LAZY!r} if m in sys.modules]))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"GARANTI_STAGE": "prod", "AWS_REGION": "ap-southeast-1", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_stream_filter_names_the_queued_state() -> None:
    assert DeliveryState.QUEUED.value == notification_changes._QUEUED
    assert LabelJobStatus.QUEUED.value == label_job_changes._QUEUED
