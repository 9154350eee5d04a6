"""Read the forms of a page as a browser would submit them (stdlib HTML parser, no browser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Inputs a person types into; hidden ones are input too (anyone can change them).
TEXT_INPUTS = frozenset({"text", "email", "password", "search", "url", "tel", "number", "date",
                         "datetime-local", "hidden", "textarea"})


@dataclass
class Field:
    """One named control with the value a browser would send by default."""

    name: str
    kind: str
    value: str | None
    options: list[str] = field(default_factory=list)  # of a select or a checkbox


@dataclass
class Form:
    """A form: where it posts, how, and its controls in page order."""

    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def text_fields(self) -> list[str]:
        """Return the names of the controls that take free text."""
        names = [f.name for f in self.fields if f.kind in TEXT_INPUTS]
        return [n for n in dict.fromkeys(names) if n != "csrf_token"]

    def data(self, fill: dict[str, str] | None = None) -> dict[str, list[str]]:
        """Return what a person sends who fills every empty control (from `fill`, else the
        first choice) and presses the first submit button."""
        fill = fill or {}
        checked = {f.name for f in self.fields if f.kind == "checkbox" and f.value is not None}
        out: dict[str, list[str]] = {}
        pressed = False
        for item in self.fields:
            value = item.value
            if item.kind == "submit":
                if pressed or value is None:
                    continue
                pressed = True
            elif item.kind == "checkbox":
                if value is None and item.name not in checked and item is self._first(item.name):
                    value = fill.get(item.name, item.options[0])
            elif not value:
                choices = [o for o in item.options if o]
                value = fill.get(item.name, choices[0] if choices else value)
            if value is not None:
                out.setdefault(item.name, []).append(value)
        return out

    def _first(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


class _Parser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action") or self.page_url, a.get("method", "get").lower())
            self.forms.append(self._form)
        if self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        kind = a.get("type", "text").lower()
        if tag == "input":
            if kind in ("checkbox", "radio"):
                value = a.get("value", "on") if "checked" in a else None
                self._form.fields.append(Field(a["name"], kind, value, [a.get("value", "on")]))
                return
            elif kind in ("submit", "button", "image"):
                value = a.get("value", "") if kind == "submit" else None
            else:
                value = a.get("value", "")
            self._form.fields.append(Field(a["name"], kind, value))
        elif tag == "button" and kind == "submit":
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea", "")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select", None)
            self._form.fields.append(self._select)

    def _option(self, a: dict[str, str]) -> None:
        assert self._select is not None
        self._select.options.append(a.get("value", ""))
        if self._select.value is None or "selected" in a:
            self._select.value = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value = (self._textarea.value or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea.value or ""  # browsers drop the newline after <textarea>
            self._textarea.value = text[2:] if text.startswith("\r\n") else \
                text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_forms(page: str, page_url: str) -> list[Form]:
    """Return every form of an HTML page."""
    parser = _Parser(page_url)
    parser.feed(page)
    return parser.forms
