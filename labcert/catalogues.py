"""The message catalogues: extract the strings, update the .po files, compile the .mo files.

Two domains: `messages` (the pages, flash messages, form errors, verification answers) and
`certificate` (the certificate PDF). The certificate has its own catalogue so that editing a
page's wording never changes a certificate re-rendered from its snapshot; its translations
change only together with the certificate template (and say so in `CERTIFICATE_TEMPLATE`).

Run `make translations` (python -m labcert.catalogues) after changing a string. A leaf: Babel
only, no Flask.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from labcert.languages import LANGUAGES, TRANSLATIONS_DIR

ROOT = TRANSLATIONS_DIR.parents[1]
TRANSLATED = tuple(code for code in LANGUAGES if code != "en")
KEYWORDS = {"_": None, "gettext": None, "en": None, "second": None, "ngettext": (1, 2),
            "lazy_gettext": None, "_l": None,
            "N_": None, "pgettext": ((1, "c"), 2), "lazy_ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trim_blocks": "true", "lstrip_blocks": "true"}
DOMAINS = ("messages", "certificate")
LAB_ONLY_COMMENT = "lab-only: may stay English until the lab settles a translation"
# What a manufacturer, an exporter or a verifier sees: these must be translated in full.
PUBLIC_TEMPLATES = ("templates/base.html", "templates/_macros.html", "templates/verify/",
                    "templates/watches/", "templates/certificates/", "templates/account/",
                    "templates/auth/", "templates/errors/", "templates/home/manufacturer.html",
                    "templates/home/exporter.html", "templates/home/_welcome.html",
                    "templates/home/_applications.html", "templates/lab/applications.html",
                    "templates/lab/application_new.html", "templates/lab/_product.html",
                    "templates/lists/")
PUBLIC_MODULES = ("labcert/web/verify", "labcert/web/shipment_words.py", "labcert/web/watch",
                  "labcert/web/account",
                  "labcert/web/auth.py", "labcert/web/language.py", "labcert/web/navigation.py",
                  "labcert/web/__init__.py", "labcert/web/certificates.py",
                  "labcert/web/notifications.py", "labcert/web/home.py",
                  "labcert/web/search_forms.py",
                  "labcert/lifecycles/", "labcert/http_errors.py", "labcert/i18n.py",
                  "labcert/services/shipment.py", "labcert/services/watches.py",
                  "labcert/imei.py")


def _in_domain(domain: str, path: str) -> bool:
    certificate = path.startswith(("templates/certificate/", "labcert/pdf/"))
    return certificate if domain == "certificate" else not certificate


def extract(domain: str) -> Catalog:
    """Return a catalogue of every translatable string the domain's sources use."""
    catalog = Catalog(project="LabCert", domain=domain, fuzzy=False)
    method_map = [("labcert/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    options = {"templates/**.html": JINJA_OPTIONS, "templates/**.txt": JINJA_OPTIONS}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
            directory_filter=lambda d: not Path(d).name.startswith((".", "__"))):
        if _in_domain(domain, filename.replace("\\", "/")):
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                        context=context)
    return catalog


def is_public(locations: list[tuple[str, int | None]]) -> bool:
    """Tell whether a message shows on a page a manufacturer, exporter or verifier sees."""
    return any(path.replace("\\", "/").startswith(PUBLIC_TEMPLATES + PUBLIC_MODULES)
               for path, _ in locations)


def read_template(domain: str) -> Catalog:
    """Read the committed .pot of a domain."""
    with (TRANSLATIONS_DIR / f"{domain}.pot").open("rb") as handle:
        return read_po(handle, domain=domain)


def po_path(code: str, domain: str) -> Path:
    """Return the .po file of a language and domain."""
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{domain}.po"


def read(code: str, domain: str) -> Catalog:
    """Read a language's catalogue of a domain."""
    with po_path(code, domain).open("rb") as handle:
        return read_po(handle, locale=code, domain=domain)


def missing(catalog: Catalog, template: Iterable[Message]) -> list[str]:
    """Return the msgids of template that catalog does not translate."""
    found = []
    for message in template:
        if not message.id:
            continue
        own = catalog.get(message.id, message.context)
        strings = own.string if own is not None else None
        if not strings or (isinstance(strings, tuple) and not all(strings)) or own.fuzzy:
            found.append(message.id if isinstance(message.id, str) else message.id[0])
    return found


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True,
             include_previous=False)
    return out.getvalue()


def update(codes: Iterable[str] = TRANSLATED) -> None:
    """Write each domain's .pot and merge it into every language's .po, then compile."""
    for domain in DOMAINS:
        template = extract(domain)
        (TRANSLATIONS_DIR / f"{domain}.pot").write_bytes(_po_bytes(template))
        for code in codes:
            path = po_path(code, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                catalog = read(code, domain)
            else:
                catalog = Catalog(locale=code, domain=domain, project="LabCert", fuzzy=False)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            for message in catalog:
                lab_only = domain == "messages" and message.id and not is_public(
                    message.locations)
                comments = [c for c in message.user_comments if c != LAB_ONLY_COMMENT]
                message.user_comments = [*comments, LAB_ONLY_COMMENT] if lab_only and \
                    not message.string else comments
            path.write_bytes(_po_bytes(catalog))
    compile_all(codes)


def mo_bytes(catalog: Catalog) -> bytes:
    """Return the compiled form of a catalogue."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all(codes: Iterable[str] = TRANSLATED) -> None:
    """Compile every .po file into the .mo file Flask-Babel and the certificate read."""
    for code in codes:
        for domain in DOMAINS:
            path = po_path(code, domain)
            path.with_suffix(".mo").write_bytes(mo_bytes(read(code, domain)))


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        compile_all()
    else:
        update()
