"""Where waves live: the WaveStore, its schema and migrations, and the Wave record."""
