"""Who a dealer's request comes from: a valid token of the user pool in the ``dealer`` group,
its user still mapped to a dealer, and that dealer ``active``. All three are read on every
request, so removing the user or suspending the dealer ends access at once, whatever tokens
are still valid. Routes under ``/dealer/...`` (any capability's) call
:func:`authenticate_dealer`; staff routes refuse a dealer's token on their own (the ``dealer``
role is in no staff route's roles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from chalice.app import Request

from chalicelib.core.errors import Forbidden
from chalicelib.core.settings import Settings
from chalicelib.dealers.model import Dealer, DealerStatus
from chalicelib.dealers.users import DealerUser
from chalicelib.platform.auth import Principal, Role, bearer_token, verify_staff_token
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.dealers.repository import DealerRepository
    from chalicelib.dealers.user_repository import DealerUserRepository


@dataclass(frozen=True)
class DealerPrincipal:
    username: str
    dealer_id: str
    dealer_name: str


class UserReader(Protocol):
    def get(self, username: str) -> DealerUser | None: ...


class DealerReader(Protocol):
    def get(self, dealer_id: str) -> Dealer | None: ...


def dealer_principal(
    principal: Principal, *, users: UserReader, dealers: DealerReader
) -> DealerPrincipal:
    """The dealer the signed-in user acts for. 403 ``role_not_allowed`` for a token outside
    the ``dealer`` group, ``dealer_access_revoked`` for a user no longer mapped to a dealer,
    ``dealer_account_inactive`` for a suspended or closed dealer."""
    if Role.DEALER not in principal.roles:
        raise Forbidden("role_not_allowed")
    user = users.get(principal.username)
    if user is None:
        raise Forbidden("dealer_access_revoked")
    dealer = dealers.get(user.org_id)
    if dealer is None or dealer.status is not DealerStatus.ACTIVE:
        raise Forbidden("dealer_account_inactive")
    return DealerPrincipal(principal.username, dealer.dealer_id, dealer.name)


@once_per_container
def _users() -> DealerUserRepository:
    from chalicelib.dealers.user_repository import DealerUserRepository

    return DealerUserRepository()


@once_per_container
def _dealers() -> DealerRepository:
    from chalicelib.dealers.repository import DealerRepository

    return DealerRepository()


def authenticate_dealer(request: Request, settings: Settings) -> DealerPrincipal:
    """The signed-in dealer user (401 for a missing, forged or expired token, like staff's)."""
    principal = verify_staff_token(bearer_token(request), settings)
    return dealer_principal(principal, users=_users(), dealers=_dealers())
