"""Wire and text formats: RESP encoding, redis-cli line splitting and redis-cli output."""
