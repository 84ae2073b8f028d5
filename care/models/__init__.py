"""The care app's models, one module per part: centres and enrolment, then the week and its sessions."""

from care.models.applications import *  # noqa: F403
from care.models.centres import *  # noqa: F403
from care.models.sessions import *  # noqa: F403
