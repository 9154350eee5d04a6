"""The data model, one module per concept."""

from labcert.models.application import APPLICATION_STATES, Application, Review
from labcert.models.audit import AuditEvent, AuditHead
from labcert.models.certificate import (
    CERTIFICATE_STATUSES,
    Certificate,
    CertificateCounter,
    CertificateEvent,
    VerificationLog,
)
from labcert.models.evaluation import Evaluation
from labcert.models.impact import ImpactNotice, ImpactRun
from labcert.models.instrument import Instrument
from labcert.models.job_run import JobRun
from labcert.models.mail import MailMessage
from labcert.models.organization import ORGANIZATION_KINDS, Organization
from labcert.models.outbox import OutboxEvent
from labcert.models.product import Product, ProductTac
from labcert.models.result import TestResult
from labcert.models.sample import Sample
from labcert.models.signing_key import PdfRenewal, SigningKey
from labcert.models.status_list import StatusList
from labcert.models.token import ApiToken
from labcert.models.types import utcnow
from labcert.models.user import ORGANIZATION_ROLES, ROLES, STAFF_ROLES, User
from labcert.models.watch import NotificationPreference, Watch

__all__ = [
    "APPLICATION_STATES",
    "CERTIFICATE_STATUSES",
    "ORGANIZATION_KINDS",
    "ORGANIZATION_ROLES",
    "ROLES",
    "STAFF_ROLES",
    "ApiToken",
    "Application",
    "AuditEvent",
    "AuditHead",
    "Certificate",
    "CertificateCounter",
    "CertificateEvent",
    "Evaluation",
    "ImpactNotice",
    "ImpactRun",
    "Instrument",
    "JobRun",
    "MailMessage",
    "NotificationPreference",
    "Organization",
    "OutboxEvent",
    "PdfRenewal",
    "Product",
    "ProductTac",
    "Review",
    "Sample",
    "SigningKey",
    "StatusList",
    "TestResult",
    "User",
    "VerificationLog",
    "Watch",
    "utcnow",
]
