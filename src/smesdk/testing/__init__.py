"""Test kit for framework plugins (placeholder: filled in below)."""
