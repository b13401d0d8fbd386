"""SQLAlchemy models, one module per aggregate. Importing this package registers every table."""
from .account import AccountCase, CompanyAccount, CompanyGrant, CompanyInvitation
from .api import ApiToken, IdempotencyKey
from .case import Case, CaseEvent, CaseSequence, Message
from .casework import AccessLog, Attachment, AuditLog, CannedResponse, CaseLink, CaseView
from .company import Company
from .inbound import InboundMail
from .login import LoginFailure
from .org import ROLES, Category, ConfigGeneration, Office, RoutingRule, User
from .outbox import Outbox
from .sla import CalendarSettings, SlaClock, SlaPolicy
from .sso import SsoGroupMapping, SsoIdentity, TotpSecret
from .survey import HandslagetMeasure, MonthlyReport, ReportSettings, Survey

__all__ = [
    "ApiToken", "IdempotencyKey",
    "AccessLog", "LoginFailure", "SsoGroupMapping", "SsoIdentity", "TotpSecret",
    "HandslagetMeasure", "MonthlyReport", "ReportSettings", "Survey",
    "AccountCase", "CompanyAccount", "CompanyGrant", "CompanyInvitation",
    "Attachment", "AuditLog", "CannedResponse", "CaseLink", "CaseView",
    "ROLES", "Case", "CaseEvent", "CaseSequence", "Category", "Company", "Message", "Office", "Outbox",
    "RoutingRule", "User", "InboundMail", "ConfigGeneration", "CalendarSettings", "SlaClock", "SlaPolicy",
]
