"""The scheduler: APScheduler on the platform database, run by the holder of a lease row."""
