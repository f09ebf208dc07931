"""Edges: CLI, rendering (and later the API and dashboard). Nothing imports this package."""
