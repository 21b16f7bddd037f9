"""Top-level pages of the main window (besides the training wizard)."""
