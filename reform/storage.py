"""The static files' storage in production: WhiteNoise's hashed, compressed copies
(``collectstatic``), which the web processes serve with a far-future cache lifetime."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    """Hashed names rewritten into the stylesheets only. A vendored script names a
    source map that is not shipped (Chart.js's ``//# sourceMappingURL=``); rewriting it
    would stop ``collectstatic``, while a browser asks for a map only when its developer
    tools are open."""

    patterns = tuple(
        (glob, rules)
        for glob, rules in CompressedManifestStaticFilesStorage.patterns
        if glob == "*.css"
    )
