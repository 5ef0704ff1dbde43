"""What many test files share: the fake HTTP client source modules are fetched through, and which tests are slow.

``python -m pytest -m "not browser and not slow" -n 2`` is the fast loop (unit and AppTest tests);
``python -m pytest`` runs everything, as CI does.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from loaders.http import Response

Answer = bytes | dict[str, bytes] | Callable[[str], bytes]


class FakeHttp:
    """Stands in for ``loaders.http.Http``: answers each GET and records ``(source, url)`` in ``calls``, in order.

    ``answer`` is the body for every URL, a dict of bodies by URL, or a function of the URL that
    returns the body (or raises, like a failed request). ``fetched_prefix`` goes before the URL in
    ``Response.fetched_url``, as a mirror's address would.

    >>> http = FakeHttp({"https://x.org/a": b"1"})
    >>> http.get("x", "https://x.org/a").body, http.calls
    (b'1', [('x', 'https://x.org/a')])
    """

    mirror = None
    LIMIT = 1000  # more requests than any fetch needs: a fetch that does not stop fails here, not by timeout

    def __init__(self, answer: Answer, content_type: str = "application/octet-stream", fetched_prefix: str = ""):
        self.answer, self.content_type, self.fetched_prefix = answer, content_type, fetched_prefix
        self.calls: list[tuple[str, str]] = []

    @property
    def urls(self) -> list[str]:
        return [url for _, url in self.calls]

    def get(self, source: str, url: str) -> Response:
        self.calls.append((source, url))
        assert len(self.calls) <= self.LIMIT, "fetch did not stop"
        if isinstance(self.answer, bytes):
            body = self.answer
        elif isinstance(self.answer, dict):
            body = self.answer[url]
        else:
            body = self.answer(url)
        return Response(url, self.fetched_prefix + url, body, self.content_type)


# Modules whose every test starts another Python, a publisher server, or a long property search: marked
# ``slow`` here, in one place, so the fast selection stays under 90 s on a two-core machine.
SLOW_MODULES = {
    "test_bad_local_data": "runs the dashboard in a subprocess per data folder",
    "test_hostile": "runs the dashboard in a subprocess, and a browser",
    "test_probes": "runs the dashboard in a subprocess per probe",
    "test_faults": "a publisher server per fault",
    "test_silent_publisher": "waits out publishers that do not answer",
    "test_concurrency": "refreshes in threads and processes against a publisher server",
    "test_refresh": "refreshes through the real HTTP client against a publisher server",
    "test_refresh_shrink": "refreshes against a publisher server",
    "test_snapshots_reproduce": "refreshes every series against the shared mirror",
    "test_localfile_properties": "property searches over many generated files",
    "test_properties": "property searches over generated series",
    "test_deploy": "starts nginx and two Streamlit replicas",
    "test_deploy_manifests": "runs linters (hadolint, kubernetes-validate, check-jsonschema, nginx -t) in subprocesses",
}

# Single tests (every parameter of each) that take seconds apiece: whole-catalogue sweeps and end-to-end runs.
SLOW_TESTS = {
    "test_cache::test_change_from_year_ago_of_every_snapshot_is_what_merge_asof_finds": "every snapshot, every way",
    "test_localfile_validation::test_refresh_of_a_local_entry_refuses_the_file_and_keeps_the_snapshot": "refreshes",
    "test_events::test_an_altered_quote_in_the_real_catalogue_fails": "reads both source documents",
    "test_events::test_real_catalogues_validate_against_the_real_documents": "reads both source documents",
    "test_presenter::test_every_event_a_step_asks_about_keeps_its_label": "every story, size and language",
    "test_shared_builders::test_every_page_shares_its_results": "opens every page",
    "test_shared_builders::test_every_shared_call_on_every_page_is_keyed_by_every_field_of_every_input": "every page",
    "test_presenter::test_every_step_labels_its_own_events_strongly_and_dims_the_others": "every step and size",
    "test_presenter::test_the_slide_pack_end_to_end_holds_real_png_slides_csvs_and_the_handout": "renders PNGs",
    "test_source_eia::test_cli_without_key_prints_one_line_and_exits_non_zero": "starts the command line",
    "test_lessons::test_round_trip_build_present_export_validate_and_open_again": "presents, exports and validates",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = getattr(item, "originalname", item.name)
        if item.path.stem in SLOW_MODULES or f"{item.path.stem}::{name}" in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def fake_http() -> type[FakeHttp]:
    """The fake client class: ``fake_http(body)``, ``fake_http({url: body})`` or ``fake_http(lambda url: body)``."""
    return FakeHttp
