"""One botocore data loader for every PynamoDB connection of a process.

PynamoDB gives each model's connection a botocore session of its own, and each session loads and
parses the DynamoDB service model again: about 0.2 s of CPU at each table's first call. The
embedded stack touches every table at its start (24 of them: five seconds of it), and the tests
build fresh repositories for every test. Sessions that share botocore's loader (its JSON cache)
parse the model once per process. The loader's cache holds parsed files only; the sessions,
their credentials and their clients stay each connection's own.
"""

from __future__ import annotations

import botocore.loaders
import botocore.session


def share_botocore_data_loader() -> None:
    """Make every session PynamoDB creates from now on use one data loader."""
    import pynamodb.connection.base as pynamodb_base

    loader = botocore.loaders.create_loader()

    def session_with_shared_loader() -> botocore.session.Session:
        session = botocore.session.get_session()
        session.register_component("data_loader", loader)
        return session

    pynamodb_base.get_session = session_with_shared_loader  # type: ignore[attr-defined]
