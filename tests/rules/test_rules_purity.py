"""The pure cores import no web or database code: the rule engine and the credentials library."""

import subprocess
import sys

import pytest

FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "labcert.models")
# The credentials library is a leaf like pdf/ and pki/: services hand it plain values.
LEAF_FORBIDDEN = (*FORBIDDEN, "labcert.services")

PURE_PACKAGES = [
    ("labcert.rules", "import labcert.rules.registry; labcert.rules.load_registry()", FORBIDDEN),
    (
        "labcert.credentials",
        "import labcert.credentials.verify, labcert.credentials.issue",
        LEAF_FORBIDDEN,
    ),
]


def _loaded(imports: str, forbidden: tuple[str, ...]) -> str:
    script = (
        f"import sys; {imports}; "
        f"bad = sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') "
        f"for f in {forbidden!r})); "
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


@pytest.mark.parametrize(("package", "imports", "forbidden"), PURE_PACKAGES)
def test_importing_a_pure_package_loads_no_flask_sqlalchemy_or_models(package, imports, forbidden):
    assert _loaded(f"import {package}; {imports}", forbidden) == ""


def test_the_purity_check_itself_detects_a_forbidden_import():
    assert "flask" in _loaded("import json, flask, labcert.rules", FORBIDDEN)
    assert "labcert.services" in _loaded("import labcert.services", LEAF_FORBIDDEN)
