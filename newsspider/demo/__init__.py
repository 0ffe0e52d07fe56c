"""The bundled demo news site: data (content.py), templates (templates.py), generator (build.py)."""
