"""Demo staff accounts of the embedded stack: one Cognito user per role, same name as its group.

These are demo credentials for the local emulator only. The devstack creates them in the
emulator's user pool ``garanti-local`` on every start (the emulator starts empty) and prints
them in its banner. They exist nowhere else: no deployed stage has these users, and no real
secret may ever be added here.

=============  ================  ============  =============================================
username       password          group         what the account is for
=============  ================  ============  =============================================
admin          Admin@2026        admin         everything, including users and settings
cs             Cs@2026demo       cs            customer service: lookups, activations, claims
technician     Tech@2026demo     technician    service visits, parts, maintenance tickets
accountant     Acct@2026demo     accountant    rewards approval and payouts, reports
director       Dir@2026demo      director      read-only reports and dashboards
dealer1        Dealer@2026demo   dealer        the demo dealer HN-01's user (its units only)
service1       Service@2026demo  service       the partner company "Điện lạnh Minh Phát"'s user
=============  ================  ============  =============================================

``dealer1`` and ``service1`` are not staff (``DEMO_OUTSIDE_USERS``): the demo data maps each to
its dealer or service company.
"""

from __future__ import annotations

from typing import NamedTuple


class DemoUser(NamedTuple):
    username: str
    password: str
    group: str
    description: str
    phone: str = ""  # E.164: the desk's get the maintenance digest (the dev inbox shows it)


DEMO_USERS: list[DemoUser] = [
    DemoUser(
        "admin", "Admin@2026", "admin", "everything, including users and settings", "+84987000001"
    ),
    DemoUser(
        "cs", "Cs@2026demo", "cs", "customer service: lookups, activations, claims", "+84987000002"
    ),
    DemoUser("technician", "Tech@2026demo", "technician", "service visits, parts, maintenance"),
    DemoUser("accountant", "Acct@2026demo", "accountant", "rewards approval and payouts, reports"),
    DemoUser("director", "Dir@2026demo", "director", "read-only reports and dashboards"),
]

GROUPS: tuple[str, ...] = tuple(user.group for user in DEMO_USERS)

# A dealer's user: signs in like staff, sees only its dealer (devstack.demo maps it to HN-01).
DEMO_DEALER_USERS: list[DemoUser] = [
    DemoUser("dealer1", "Dealer@2026demo", "dealer", "the demo dealer HN-01's user"),
]

# A partner service company's user: sees only the requests sent to its company (devstack.demo
# maps it to the demo company MP-DV).
DEMO_SERVICE_USERS: list[DemoUser] = [
    DemoUser("service1", "Service@2026demo", "service", "the partner company MP-DV's user"),
]

# Everyone outside the staff: provisioned with the staff, never in a staff route's roles.
DEMO_OUTSIDE_USERS: list[DemoUser] = [*DEMO_DEALER_USERS, *DEMO_SERVICE_USERS]
