"""What every response shape shares: dates and times as ISO 8601 text; an export job."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.core.i18n import both

if TYPE_CHECKING:
    from chalicelib.platform.export_jobs import ExportJob
    from chalicelib.platform.members import AddedMember, Member


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_view(job: ExportJob, download_url: Any) -> dict[str, Any]:
    """An export job for its caller: status and rows written; when done, a download link valid
    for 15 minutes (``download_url(key, expires_seconds=…)``: the bucket's presigner). A run that
    died with no attempt left shows as failed (``<kind>_export_stalled``)."""
    from chalicelib.platform.export_jobs import DOWNLOAD_LINK_TTL, ExportStatus

    now = datetime.now(UTC)
    status, error_code = job.status, job.error_code
    if job.stalled(now):
        status, error_code = ExportStatus.FAILED, f"{job.kind}_export_stalled"
    download = None
    if status is ExportStatus.DONE and job.output_key:
        seconds = int(DOWNLOAD_LINK_TTL.total_seconds())
        download = {
            "url": download_url(job.output_key, expires_seconds=seconds),
            "expires_at": iso_time(now + DOWNLOAD_LINK_TTL),
            "filename": job.filename,
        }
    return {
        "export_id": job.export_id,
        "status": status.value,
        "rows": job.rows,
        "size_bytes": job.size_bytes,
        "created_by": job.created_by,
        "created_at": iso_time(job.created_at),
        "started_at": iso_time(job.started_at),
        "finished_at": iso_time(job.finished_at),
        "error": {"code": error_code, "messages": both(error_code)} if error_code else None,
        "download": download,
    }


def member_view(member: Member, org_field: str) -> dict[str, Any]:
    """An organisation's user (:mod:`chalicelib.platform.members`), its organisation's id under
    ``org_field`` (``dealer_id``, ``center_id``)."""
    return {
        "username": member.username,
        org_field: member.org_id,
        "created_at": iso_time(member.created_at),
        "created_by": member.created_by,
        "enabled": member.enabled,
        "status": member.status,
    }


def added_member_view(added: AddedMember, org_field: str) -> dict[str, Any]:
    """The user and its temporary password: shown once, stored nowhere by us."""
    return {
        "user": member_view(added.member, org_field),
        "temporary_password": added.temporary_password,
    }
