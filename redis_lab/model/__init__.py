"""Redis's data types and reply values, knowing nothing of commands, protocols or screens."""
