"""What the console is told about staff accounts."""

from __future__ import annotations

from typing import Any

from chalicelib.staff.users import Invited, StaffUser


def user_view(user: StaffUser) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "phone": user.phone,
        "roles": sorted(user.roles),
        "enabled": user.enabled,
        "status": user.status,
        "created_at": user.created_at.isoformat(timespec="seconds"),
    }


def invited_view(invited: Invited) -> dict[str, Any]:
    """The account and its temporary password: shown once, stored nowhere by us."""
    return {"user": user_view(invited.user), "temporary_password": invited.temporary_password}
