"""All models, imported here so the metadata knows every table."""

from app.models.api_token import ApiToken
from app.models.attempt import VisitAttempt
from app.models.audit import AuditEvent
from app.models.calendar import CalendarDay
from app.models.case import TypicalCase
from app.models.complaint import Complaint
from app.models.data_version import DataVersion, RollupCache
from app.models.establishment import Establishment
from app.models.imports import ColumnMapping, ImportBatch
from app.models.inspection import Answer, ChecklistVersion, Inspection
from app.models.jurisdiction import Jurisdiction
from app.models.ledger import LedgerEntry
from app.models.photo import Photo
from app.models.plan import InspectionPlan, InspectorConflict, PlanDraw, PlanVisit
from app.models.public import LookupAttempt, RetiredCode
from app.models.registration import Coordinator, Registration
from app.models.reinspection import ReinspectionRequest
from app.models.sample import Sample
from app.models.signin import LoginThrottle, UserSession
from app.models.summary import DepartmentSummary
from app.models.upload import Upload, UploadPart
from app.models.user import User

__all__ = [
    "Answer",
    "ApiToken",
    "AuditEvent",
    "CalendarDay",
    "ChecklistVersion",
    "ColumnMapping",
    "Complaint",
    "Coordinator",
    "DataVersion",
    "DepartmentSummary",
    "Establishment",
    "ImportBatch",
    "Inspection",
    "InspectionPlan",
    "InspectorConflict",
    "Jurisdiction",
    "LedgerEntry",
    "LoginThrottle",
    "LookupAttempt",
    "Photo",
    "PlanDraw",
    "PlanVisit",
    "Registration",
    "ReinspectionRequest",
    "RetiredCode",
    "RollupCache",
    "Sample",
    "TypicalCase",
    "Upload",
    "UploadPart",
    "User",
    "UserSession",
    "VisitAttempt",
]
