"""The audit trail: who changed or looked at what, and when, with before and after. Shared by
every capability (a sink like the outbox): the catalog records an owner's phone revealed, staff
records a user invited; the streams record what changed in the tables."""
