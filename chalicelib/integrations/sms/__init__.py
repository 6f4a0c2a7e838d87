"""SMS brandname adapters behind :class:`~chalicelib.integrations.messaging.MessageSender`."""
