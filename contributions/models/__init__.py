"""The contributions app's models: schedules, payroll files, receipts and the ledger; then arrears."""

from contributions.models.arrears import *  # noqa: F403
from contributions.models.ledger import *  # noqa: F403
from contributions.models.payroll import *  # noqa: F403
from contributions.models.schedules import *  # noqa: F403
