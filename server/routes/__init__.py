"""HTTP routes: each turns a request into one call of the layer below, and nothing else."""
