"""Who a service company's request comes from, and what the claims capability needs of the
centres. A company user is a valid token of the user pool in the ``service`` group, its user
still mapped to a centre, and that centre ``active``: all three are read on every request, so
removing the user or suspending the centre ends access at once, whatever tokens are still valid.
Staff routes refuse such a token on their own (``service`` is in no staff route's roles).

For the claims capability (its routes call these; nothing here is a route):

- :func:`assignee_key_for`: the ``assignee_key`` a company user's requests carry
  (``company#<center_id>``); refused for anyone else;
- :func:`center_name`: a centre's name by id, kept a minute;
- :func:`active_centers`: the centres a request may be routed to (a province's, a kind's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from chalice.app import Request

from chalicelib.core.errors import Forbidden
from chalicelib.core.settings import Settings
from chalicelib.platform.auth import Principal, Role, bearer_token, verify_staff_token
from chalicelib.platform.cache import once_per_container
from chalicelib.platform.members import Member
from chalicelib.service_centers import service
from chalicelib.service_centers.model import CenterKind, ServiceCenter, assignee_key

if TYPE_CHECKING:
    from chalicelib.platform.names import KeptNames
    from chalicelib.service_centers.repository import ServiceCenterRepository
    from chalicelib.service_centers.user_repository import ServiceCenterUserRepository


@dataclass(frozen=True)
class CenterPrincipal:
    username: str
    center_id: str
    center_name: str

    @property
    def assignee_key(self) -> str:
        return assignee_key(self.center_id)


class UserReader(Protocol):
    def get(self, username: str) -> Member | None: ...


class CenterReader(Protocol):
    def get(self, center_id: str) -> ServiceCenter | None: ...


def center_principal(
    principal: Principal, *, users: UserReader, centers: CenterReader
) -> CenterPrincipal:
    """The centre the signed-in user acts for. 403 ``role_not_allowed`` for a token outside the
    ``service`` group, ``service_access_revoked`` for a user no longer mapped to a centre,
    ``service_center_inactive`` for a suspended or closed centre."""
    if Role.SERVICE not in principal.roles:
        raise Forbidden("role_not_allowed")
    user = users.get(principal.username)
    if user is None:
        raise Forbidden("service_access_revoked")
    center = centers.get(user.org_id)
    if center is None or not center.active:
        raise Forbidden("service_center_inactive")
    return CenterPrincipal(principal.username, center.center_id, center.name)


@once_per_container
def _users() -> ServiceCenterUserRepository:
    from chalicelib.service_centers.user_repository import ServiceCenterUserRepository

    return ServiceCenterUserRepository()


@once_per_container
def _centers() -> ServiceCenterRepository:
    from chalicelib.service_centers.repository import ServiceCenterRepository

    return ServiceCenterRepository()


@once_per_container
def _names() -> KeptNames:
    from chalicelib.platform.names import KeptNames

    return KeptNames(_centers().name_of)


def authenticate_service(request: Request, settings: Settings) -> CenterPrincipal:
    """The signed-in company user (401 for a missing, forged or expired token, like staff's)."""
    principal = verify_staff_token(bearer_token(request), settings)
    return center_principal(principal, users=_users(), centers=_centers())


def assignee_key_for(principal: Principal) -> str:
    """``company#<center_id>`` for a company user acting for an active centre (two reads: its
    mapping and its centre); ``Forbidden`` otherwise, as :func:`center_principal` says. The
    claims routes scope a ``service`` token's requests with it (404 for any other key)."""
    return center_principal(principal, users=_users(), centers=_centers()).assignee_key


def center_name(center_id: str) -> str | None:
    """The centre's name (``None`` for an unknown id), each kept a minute per container."""
    return _names().name_of(center_id)


def active_centers(
    province: str | None = None, kind: CenterKind | None = None
) -> list[ServiceCenter]:
    """The active centres, in code order, serving ``province`` and of ``kind`` when given: the
    choices of a request's routing (one query of the registry)."""
    return service.routable(_centers().all(), province=province, kind=kind)
