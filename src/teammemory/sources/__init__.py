"""The only code that touches git, HTTP or input files. Knows nothing of the store."""
