"""Logging: one handler for LabCert, and one for WeasyPrint so its warnings are seen."""

from __future__ import annotations

import logging

from flask import Flask

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def init_app(app: Flask) -> None:
    """Attach a stream handler to the labcert and weasyprint loggers (once per process)."""
    level = app.config["LOG_LEVEL"]
    for name in ("labcert", "weasyprint", "fontTools.subset", "pyhanko"):
        logger = logging.getLogger(name)
        if not any(getattr(h, "_labcert", False) for h in logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter(FORMAT))
            handler._labcert = True  # type: ignore[attr-defined]
            logger.addHandler(handler)
        logger.setLevel(level if name == "labcert" else logging.WARNING)
