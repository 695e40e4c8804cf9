"""Time-driven work: the deadline sweep and its APScheduler wiring (the clock is domain.clock)."""
