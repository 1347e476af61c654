"""One module per screen. A view builds controls from state and wires their events to state intents; nothing else."""
