"""`python -m teammemory` runs the CLI."""

from teammemory.outputs.cli import main

main()
