"""The `rackside` command: the one entry point that may start both the server and the client."""
