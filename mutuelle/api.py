"""The REST API (django-ninja); each app adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Mutuelle API", version="1", urls_namespace="api")


def _register_routers() -> None:
    # Imported here so that an app's router can import models without a cycle at settings time.
    from claims.api import router as claims_router
    from claims.simulator.api import router as simulator_router

    api.add_router("/simulate/", simulator_router)
    api.add_router("/claims/", claims_router)


_register_routers()
