"""The project's own exceptions: every failure names what, where and what was expected."""


class LoaderError(Exception):
    """Base class for every error the loaders raise on purpose."""


class UpstreamError(LoaderError):
    """A publisher answered badly: HTTP error, timeout, wrong content, or an error envelope.

    >>> str(UpstreamError("worldbank", "https://api.worldbank.org/v2/...", "HTTP 404"))
    'worldbank: HTTP 404 (https://api.worldbank.org/v2/...)'
    """

    def __init__(self, source: str, url: str, cause: str):
        self.source, self.url, self.cause = source, url, cause
        super().__init__(f"{source}: {cause} ({url})")


class UpstreamTimeout(UpstreamError):
    """A publisher did not answer in time (connect or read timeout, or the per-request deadline):
    a refresh stops asking that source rather than waiting again for each of its series."""


class DriftError(UpstreamError):
    """The publisher's format changed: a field, sheet, row or unit is not where it was."""


class ValidationError(LoaderError):
    """A table, catalog entry or file failed a check; the message names the place and the rule."""
