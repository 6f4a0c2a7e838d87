"""Warranty claims and service requests: from the customer's request (with photos) to the
repaired unit, with an eligibility verdict that always says why, routing to the internal team or
a partner service company, SLA deadlines, costs, and a history of every change."""
