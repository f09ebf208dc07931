"""TeamMemory: a team's memory of why code is the way it is."""

__version__ = "0.1.0"
