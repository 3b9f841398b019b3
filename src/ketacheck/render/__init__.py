"""Output formats: text, Markdown, HTML and PDF."""
