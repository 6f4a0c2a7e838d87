"""The embedded stack: one command runs Garanti on 127.0.0.1 with nothing deployed.

``python -m devstack run`` (``make run``) starts the AWS emulator (moto server), provisions it
(secrets, tables, Cognito users), restores saved data or seeds demo data, then serves the real
Chalice app, polls the DynamoDB streams into the app's stream handlers, ticks its schedules and
serves ``web/``. See :mod:`devstack.stack` for the order of things and :mod:`devstack.__main__`
for the commands.

Importing this package imports nothing from ``app`` or ``chalicelib``: their settings are read
at import, so the stack sets the environment first and imports them afterwards.
"""
