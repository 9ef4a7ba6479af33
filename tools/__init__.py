"""Project scripts (run them with the project's Python: `.venv/bin/python tools/<script>.py`)."""
