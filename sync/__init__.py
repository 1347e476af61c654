"""What the Rackside client and server share: the pure domain, the wire protocol and the sync engine."""
