"""What the API function imports at a cold start: the outbox, the sender and the provider
adapters load with the first request or record that needs them, never with ``import app``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from chalicelib.domain.delivery import DeliveryState
from chalicelib.domain.label_jobs import LabelJobStatus
from chalicelib.streams import label_job_changes, notification_changes

REPO = Path(__file__).resolve().parents[2]
LAZY = (
    "pydantic",
    "chalicelib.services.sender",
    "chalicelib.services.inbound",
    "chalicelib.persistence.notifications",
    "chalicelib.domain.messages",
    "chalicelib.integrations.messaging_config",
    "chalicelib.integrations.provider_http",
    "chalicelib.integrations.zalo.zns",
    # label sheets: the QR library, the PDF writer, the renderer and the jobs load on first use
    "qrcode",
    "png",
    "chalicelib.integrations.qr_codes",
    "chalicelib.integrations.pdf",
    "chalicelib.integrations.label_sheets",
    "chalicelib.services.labels",
    "chalicelib.persistence.label_jobs",
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
