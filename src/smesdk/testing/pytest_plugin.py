"""pytest plugin entry point for smesdk's test kit."""
