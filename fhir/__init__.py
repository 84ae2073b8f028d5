"""The FHIR R4 facade (/fhir/).

The installed library fhir.resources also lives in a package named `fhir`: this app shares the
name, so the package path is extended to the library's directory and `fhir.resources` still
imports the library (no module of this app may be called `resources`).
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)
