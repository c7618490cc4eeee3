"""Package data: the template ``smesdk new-plugin`` copies (``plugin/``)."""
