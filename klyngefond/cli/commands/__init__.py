"""One module per command (or per family of commands); each defines a ``typer.Typer`` called ``app``."""
