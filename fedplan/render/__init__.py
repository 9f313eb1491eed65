"""Rendering documents: Jinja templates to Markdown, then text, HTML and Word."""
