"""The Rackside server: the authority that replays pushed commands and serves scoped changes."""
