"""The `gigmatch` command line: the app and one module per command group."""
