"""Stream and consumer-group commands (being written)."""
