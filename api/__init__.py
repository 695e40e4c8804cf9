"""The composition root: HTTP (FastAPI), the ``pso`` command line, settings and logging."""
