"""Spiders: navigation only. Parsing lives in ``newsspider/pages/``."""
