"""Imports every area's model module so ``Base.metadata`` knows all tables (migrations, tests,
the app). One import line per area module."""

from desk_app.store import models as models
from desk_app.store import operator_models as operator_models
from desk_app.store import sync_models as sync_models
