"""The commands of the `gigmatch` CLI, one module per command group."""
