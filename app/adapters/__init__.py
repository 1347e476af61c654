"""Adapters: the local SQLite cache, its unit of work, and the photo store."""
