"""The rule engine is a pure core: importing it loads no web or database code."""

import subprocess
import sys

FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "labcert.models")


def test_importing_the_rule_engine_loads_no_flask_sqlalchemy_or_models():
    script = (
        "import sys, labcert.rules, labcert.rules.registry; "
        "labcert.rules.load_registry(); "
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} "
        f"or m.startswith('labcert.models')); "
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_the_purity_check_itself_detects_a_forbidden_import():
    script = (
        "import sys, json, labcert.rules; "
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}); "
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json; " + script.replace("json, ", "json, flask, ")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "flask" in done.stdout
