"""The certification lifecycle as event-sourced aggregates, and the application service.

Imports norms/ and eventsourcing, never a web, database or logging framework.
"""
