"""Presenting results: file formats through one writer, rich views, HTML and charts."""
