"""The modules that define the built-in panels (each registers its panels on import)."""

from panels import (  # noqa: F401 - imported for their registrations
    alerts,
    appeals,
    indicators,
    overview,
    race,
    regions,
    topics,
    window_panels,
)
