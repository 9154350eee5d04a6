"""LabCert's pure rule engine: criteria as data, exact decisions, explained outcomes.

Imports nothing from Flask, SQLAlchemy or labcert.models.
"""

from .catalogue import load_catalogue
from .criteria_set import CriteriaSet
from .engine import ENGINE_VERSION, evaluate
from .errors import CriteriaError, InputError, UnknownCriteriaSet
from .evaluation import Evaluation, Governing, MissingCriterion, Outcome
from .examples import run_examples
from .facts import ProductFacts, Result
from .inputs import parse_product
from .loader import load_criteria_file
from .model import Catalogue, Criterion, DecisionRule, Limit, TestDef
from .registry import Registry, load_registry
from .result_inputs import parse_results

__all__ = [
    "ENGINE_VERSION",
    "Catalogue",
    "CriteriaError",
    "CriteriaSet",
    "Criterion",
    "DecisionRule",
    "Evaluation",
    "Governing",
    "InputError",
    "Limit",
    "MissingCriterion",
    "Outcome",
    "ProductFacts",
    "Registry",
    "Result",
    "TestDef",
    "UnknownCriteriaSet",
    "evaluate",
    "load_catalogue",
    "load_criteria_file",
    "load_registry",
    "parse_product",
    "parse_results",
    "run_examples",
]
