"""Periodic maintenance (issue 16): plans per model, the due days of each unit's components,
reminders, tickets, spare parts and receivables."""
