"""The dashboard's answer as the console reads it (``GET /dashboard``, docs/api.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.dashboard.summary import Summary


def dashboard_view(summary: Summary, model_names: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """``model_names``: a model code → its Vietnamese and English names (a model deleted since
    shows its code)."""
    return {
        "today": summary.today.isoformat(),
        "activations": {
            "today": summary.activations_today,
            "last_7_days": summary.activations_7_days,
            "last_30_days": summary.activations_30_days,
            "by_day": [{"day": d.isoformat(), "count": n} for d, n in summary.by_day],
            "by_model": [
                {
                    "model_code": code,
                    "name": model_names.get(code, (code, code))[0],
                    "name_en": model_names.get(code, (code, code))[1],
                    "count": n,
                }
                for code, n in summary.by_model
            ],
            "by_channel": [{"channel": c, "count": n} for c, n in summary.by_channel],
        },
        "messages_today": {
            **summary.messages_today,
            "by_channel": [
                {"channel": c, **outcomes}
                for c, outcomes in sorted(summary.messages_by_channel.items())
            ],
        },
        "spend_today": {
            "spent_vnd": str(summary.spent_today_vnd),
            "cap_vnd": None if summary.cap_vnd is None else str(summary.cap_vnd),
        },
        "label_jobs": {
            "active": len(summary.label_jobs),
            "jobs": [
                {
                    "job_id": job.job_id,
                    "status": job.status,
                    "done": job.done,
                    "total": job.total,
                    "created_at": job.created_at.isoformat(),
                }
                for job in summary.label_jobs
            ],
        },
    }
