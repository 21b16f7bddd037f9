"""Reusable views: table models, charts, attention."""
