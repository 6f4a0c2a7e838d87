"""Chalice blueprints: public (portal), console (staff), auth, dev (local stage only)."""
