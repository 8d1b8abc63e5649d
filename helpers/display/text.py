"""Text for notebooks, made safe: HTML escaping, the quiz files' small markup, and :class:`Rich`.

Text from the dataset or a quiz file is always escaped before it becomes HTML. ``*emphasis*``,
``**strong**`` and `` `code` `` are applied after escaping; nothing else is interpreted.
Nothing here knows the course's data.
"""
from __future__ import annotations

import html
import re

__all__ = ["Rich", "esc", "markup", "paragraphs", "plain", "md_text", "md_prose", "html_text"]

def esc(text: object) -> str:
    """Return ``text`` escaped for HTML (quotes included)."""
    return html.escape(str(text), quote=True)


class Rich:
    """An output with an HTML form and a plain-text form.

    Parameters
    ----------
    html_text
        The HTML, already escaped where it holds data.
    plain_text
        What a text-only viewer shows.
    """

    def __init__(self, html_text: str, plain_text: str) -> None:
        self.html = html_text
        self.text = plain_text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])")


# --- text helpers -------------------------------------------------------------------------------

def markup(text: str) -> str:
    """Escape text for HTML, then apply ``*em*``, ``**strong**`` and ```code```."""
    out = []
    for n, part in enumerate(_CODE.split(text)):
        escaped = html.escape(part, quote=False)
        if n % 2:
            out.append(f"<code>{escaped}</code>")
        else:
            escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
            out.append(_EM.sub(r"<em>\1</em>", escaped))
    return "".join(out)


def paragraphs(text: str) -> str:
    """Marked-up HTML paragraphs (a blank line in the YAML text starts a new one)."""
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{markup(p)}</p>" for p in parts)


def plain(text: str) -> str:
    """Text without the markup signs, for text/plain."""
    text = _CODE.sub(r"\1", text)
    return _EM.sub(r"\1", _STRONG.sub(r"\1", text))


def md_text(text: str) -> str:
    """Plain text (an option, an item) made safe for Markdown: no HTML, no markup signs."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", html.escape(text, quote=False))


def md_prose(text: str) -> str:
    """A prompt for Markdown: HTML escaped, the markup signs kept."""
    return html.escape(" ".join(text.split()), quote=False)


def html_text(text: str) -> str:
    """Plain text (an option, an item) for HTML element content."""
    return html.escape(text, quote=False)
