"""Every string people read goes through the catalogue, and Urdu, Arabic and Russian say it.

- the committed .pot files list exactly what the sources ask to translate (`make translations`);
- no page template shows words outside `_()`, and the pages' Python (flash messages, form
  labels and errors) passes its literals through the catalogue too;
- ur, ar and ru translate every string of the pages a manufacturer, exporter or verifier sees
  and of the certificate; a lab-only string may stay English, marked for the translators;
- the compiled .mo files are those of the .po files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from labcert import catalogues
from tests.i18n.bare_text import bare_text, page_templates

ROOT = Path(__file__).resolve().parents[2]
LAB_ONLY = catalogues.LAB_ONLY_COMMENT
WEB = ROOT / "labcert" / "web"


def _key(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def _ids(catalog) -> set[tuple[str, str | None]]:
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


@pytest.mark.parametrize("domain", catalogues.DOMAINS)
def test_the_catalogue_template_lists_exactly_what_the_sources_translate(domain: str) -> None:
    extracted = _ids(catalogues.extract(domain))
    committed = _ids(catalogues.read_template(domain))

    assert not extracted - committed, (
        f"not in {domain}.pot (run `make translations`): {sorted(extracted - committed)[:10]}")
    assert not committed - extracted, f"stale in {domain}.pot: {sorted(committed - extracted)[:10]}"


@pytest.mark.parametrize("template", page_templates(ROOT),
                         ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_shows_words_outside_the_catalogue(template: Path) -> None:
    assert bare_text(template.read_text(encoding="utf-8"), str(template)) == []


def test_the_detector_finds_bare_words() -> None:
    found = bare_text('{% block title %}Shipment check{% endblock %}<p title="Hello there">'
                      '{{ _("Fine") }} <code>vc+jwt</code> Not fine</p>'
                      '{{ field(f, hint="Up to ten lines.") }}', "x.html")
    assert found == ["attribute: Hello there", "text: Shipment check", "text: Not fine",
                     "line 1 expression: \"Up to ten lines.\""]


USER_FACING_CALLS = {"flash", "DataRequired", "InputRequired", "Length", "NumberRange",
                     "EqualTo", "Email", "Regexp", "AnyOf", "NoneOf", "Optional"}
FIELD_SUFFIXES = ("Field",)


def _untranslated_literals(path: Path) -> list[str]:
    """Literal strings (or f-strings) given straight to flash(), a form field or a validator."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if name not in USER_FACING_CALLS and not name.endswith(FIELD_SUFFIXES):
            continue
        arguments = [*node.args, *(k.value for k in node.keywords
                                   if k.arg in ("message", "label", "description"))]
        for argument in arguments:
            is_text = isinstance(argument, ast.JoinedStr) or (
                (isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                and any(c.isalpha() for c in argument.value) and " " in argument.value.strip())
                or (isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                and name.endswith(FIELD_SUFFIXES) and argument.value[:1].isupper()))
            if is_text:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_flash_messages_form_labels_and_form_errors_go_through_the_catalogue() -> None:
    found = [line for path in sorted(WEB.rglob("*.py")) for line in _untranslated_literals(path)]
    assert found == []


@pytest.mark.parametrize("code", catalogues.TRANSLATED)
def test_urdu_arabic_and_russian_say_every_public_string_and_the_certificate(code: str) -> None:
    for domain in catalogues.DOMAINS:
        catalog = catalogues.read(code, domain)
        template = catalogues.read_template(domain)
        required = [m for m in template if m.id and (domain == "certificate"
                                                    or catalogues.is_public(m.locations))]
        missing = catalogues.missing(catalog, required)
        assert not missing, f"{code} {domain}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("code", catalogues.TRANSLATED)
def test_a_string_left_in_english_is_a_lab_only_one_and_says_so(code: str) -> None:
    catalog = catalogues.read("en" if code == "en" else code, "messages")
    unmarked = [m.id for m in catalog if m.id and not m.string
                and LAB_ONLY not in " ".join(m.user_comments)]
    assert unmarked == []


@pytest.mark.parametrize("code", catalogues.TRANSLATED)
@pytest.mark.parametrize("domain", catalogues.DOMAINS)
def test_the_compiled_catalogues_are_those_of_the_po_files(code: str, domain: str) -> None:
    path = catalogues.po_path(code, domain)
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id
                    # an untranslated plural compiles to its English forms: not a translation
                    and not (isinstance(m.id, tuple | list) and set(m.string) <= set(m.id))}
    written = {_key(m.id): _key(m.string) for m in catalogues.read(code, domain)
               if m.id and m.string and all(_key(m.string))}
    assert compiled == written, "run `make translations` (python -m labcert.catalogues compile)"


def test_a_missing_translation_is_found() -> None:
    template = catalogues.read_template("certificate")
    catalog = catalogues.read("ar", "certificate")
    catalog.delete("Certificate number")
    assert catalogues.missing(catalog, list(template)) == ["Certificate number"]
