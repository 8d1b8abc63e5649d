"""The bottom layer: safe text (escaping, markup, :class:`Rich`) and generic charts. Knows no course data."""
