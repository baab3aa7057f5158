"""``python -m geomap``: the command line without relying on ``PATH``."""

from .cli import cli

if __name__ == "__main__":
    cli(prog_name="geomap")
