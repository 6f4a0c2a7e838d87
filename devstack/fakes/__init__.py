"""Fake providers that speak the real APIs over real HTTP: Zalo ZNS (``zalo``), eSMS and
SpeedSMS (``sms``) and Twilio (``twilio``), on the shared base ``http``.

The integration tests run them on 127.0.0.1:0 with their test knobs (forced codes, latency,
dropped connections); the embedded stack runs FakeZalo and FakeEsms with their opt-in ``demo``
behaviour (signed delivery receipts, DLR callbacks, MO messages) behind ``devstack.providers``.
"""
