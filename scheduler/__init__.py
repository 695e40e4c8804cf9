"""Time: the one clock of the system, and (later) the deadline sweep and its APScheduler wiring."""
