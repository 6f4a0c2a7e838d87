"""Partner sessions in DynamoDB, keyed by the token's HMAC; a partner's sessions are found by
``partner_index`` (keys only) when they must all end."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.partners.sessions import Session
from chalicelib.partners.tables import PartnerSessionRecord
from chalicelib.platform.dynamodb import is_condition_failure


def _to_domain(record: PartnerSessionRecord) -> Session:
    return Session(
        session_key=record.session_key,
        partner_id=record.partner_id,
        created_at=record.created_at,
        last_used_at=record.last_used_at,
        expires_at=record.expires,
    )


class PartnerSessionRepository:
    def create(self, session: Session) -> None:
        PartnerSessionRecord(
            session.session_key,
            partner_id=session.partner_id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            expires=session.expires_at,
        ).save(condition=PartnerSessionRecord.session_key.does_not_exist())

    def get(self, session_key: str) -> Session | None:
        """A consistent read: a session just opened works at once, one just closed no more."""
        try:
            return _to_domain(PartnerSessionRecord.get(session_key, consistent_read=True))
        except DoesNotExist:
            return None

    def extend(self, session: Session, used_at: datetime, expires_at: datetime) -> bool:
        """Record a use and the new end, if nobody recorded one since ``session`` was read (and
        the session still exists); ``False`` when another request did it first."""
        try:
            PartnerSessionRecord(session.session_key).update(
                actions=[
                    PartnerSessionRecord.last_used_at.set(used_at),
                    PartnerSessionRecord.expires.set(expires_at),
                ],
                condition=PartnerSessionRecord.last_used_at == session.last_used_at,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def delete(self, session_key: str) -> None:
        PartnerSessionRecord(session_key).delete()

    def delete_all(self, partner_id: str) -> int:
        """Delete every session of the partner; how many there were."""
        # One DeleteItem each: a partner has a few sessions (phones, the portal), and
        # BatchWriteItem would need an IAM action of its own.
        keys = [
            record.session_key for record in PartnerSessionRecord.partner_index.query(partner_id)
        ]
        for key in keys:
            PartnerSessionRecord(key).delete()
        return len(keys)
