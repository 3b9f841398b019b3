"""``python -m ketacheck``: the command line."""

from ketacheck.cli import run

if __name__ == "__main__":
    run()
