"""Client services: one method per user intent, and read models for screens. No Flet here."""
