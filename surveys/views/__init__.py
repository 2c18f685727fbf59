"""The survey's pages: ``public`` (no login) and ``staff`` (directors and staff)."""
