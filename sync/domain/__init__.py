"""The pure Rackside domain: entities, value objects, commands, state machines and service arithmetic.

Nothing here does I/O or imports a framework; both the client (optimistic apply) and the server (authoritative
replay) run the same code, so a command means the same thing on both ends.
"""
