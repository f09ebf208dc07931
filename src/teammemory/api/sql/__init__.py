"""Named SQL of the API's own read-side lookups (search, health, the component list)."""
