"""The Rackside client: local SQLite cache, services, and the Flet UI."""
