"""klyngefond: a ledger for the funds of Danish health clusters (sundhedsklynger)."""

__version__ = "0.1.0"
