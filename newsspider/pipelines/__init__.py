"""Item pipelines, one job per module: normalize -> validate -> dedupe (see settings.py)."""
