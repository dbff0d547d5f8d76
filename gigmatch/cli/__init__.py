"""The `gigmatch` command line: the app and one module per command group."""


def main() -> None:
    """Console-script entry point (kept here so `gigmatch.cli:main` never moves)."""
    from gigmatch.cli.app import main as run

    run()
