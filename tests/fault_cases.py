"""The catalogue of upstream faults the refresh must survive: each one injected into one source's route."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.sources import unhcr
from tests.fault_server import (
    HTML_ERROR_PAGE,
    Answer,
    FaultServer,
    Handler,
    Raw,
    cut_mid_body,
    drip,
    edit_bytes,
    edit_json,
    endless_undeclared,
    hang,
    hang_up,
    in_turn,
    status,
)
from tests.publishers import energy_institute_workbook


@dataclass
class Fault:
    """One way an upstream answer goes wrong, injected into one source's route.

    ``cause`` is a regex the FAILED line must match; ``recovers`` faults end in success instead.
    ``requests`` is how many requests the source must have received (retries where they belong).
    """

    name: str
    source: str
    install: Callable[[FaultServer], Handler | Raw]
    cause: str = ""
    recovers: bool = False
    requests: int | None = None
    http: dict = field(default_factory=dict)
    refused: bool = False
    waited_at_least: float = 0.0
    url: str | None = None  # the live URL the line names, when not the source's first one

    @property
    def id(self) -> str:
        return f"{self.name}-{self.source}"


def _wb_obs(doc: list) -> list:
    return doc[1]


def _rename(key: str, new: str) -> Callable[[dict], None]:
    def edit(item: dict) -> None:
        item[new] = item.pop(key)

    return edit


def _each_wb(edit: Callable[[dict], None]) -> Callable[[list], None]:
    return lambda doc: [edit(obs) for obs in doc[1]] and None


def _each_unhcr(edit: Callable[[dict], None]) -> Callable[[dict], None]:
    return lambda doc: [edit(item) for item in doc["items"]] and None


def _unhcr_growing(query: dict) -> Answer:
    page = int(query.get("page", ["1"])[0])
    return (
        200,
        {"Content-Type": "application/json"},
        json.dumps({"page": page, "maxPages": page + 1, "items": []}).encode(),
    )


def _opec(rows: str) -> Handler:
    body = f'<?xml version="1.0" encoding="utf-8" ?>\n<Basket xmlns="http://tempuri.org/basketDayArchives.xsd">\n{rows}</Basket>\n'
    return lambda query: (200, {"Content-Type": "application/xml"}, body.encode())


def _ei_sheet_renamed(query: dict) -> Answer:
    return 200, {}, energy_institute_workbook(sheet="Oil production, barrels")


WB_ERROR = [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]
FRED_TEN_MILLION = b"observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,10000000\n"

FAULTS: list[Fault] = [
    # connection and protocol
    Fault("connection_refused", "fred", lambda s: s.good("fred"), r"could not connect: .*refused", refused=True),
    Fault("connection_refused", "worldbank", lambda s: s.good("worldbank"), r"could not connect", refused=True),
    Fault(
        "hang_past_read_timeout",
        "unhcr",
        lambda s: hang(s.released, s.good("unhcr")),
        r"no answer within 0\.3 s \(read timeout\)",
        requests=2,  # a read timeout is retried once, not `retries` times
        http={"timeout": (1.0, 0.3)},
    ),
    Fault(
        "hang_past_read_timeout",
        "imf",
        lambda s: hang(s.released, s.good("imf")),
        r"no answer within 1 s \(read timeout\)",
        requests=2,
    ),
    Fault("hang_up_without_answer", "opec", lambda s: Raw(hang_up), r"could not connect|aborted|disconnected"),
    Fault("cut_mid_body", "fred", lambda s: Raw(cut_mid_body), r"connection broke while reading the body", requests=3),
    Fault(
        "http_500_then_success",
        "imf",
        lambda s: in_turn((500, {}, b"oops"), then=s.good("imf")),
        recovers=True,
        requests=2,
    ),
    Fault(
        "http_503_twice_then_success",
        "worldbank",
        lambda s: in_turn((503, {}, b""), (503, {}, b""), then=s.good("worldbank")),
        recovers=True,
        requests=3,
    ),
    Fault(
        "http_500_for_ever",
        "energy_institute",
        lambda s: status(500, b"Internal Server Error"),
        r"HTTP 500 Internal Server Error \(after 3 tries\)",
        requests=3,
    ),
    Fault(
        "http_429_retry_after_then_success",
        "worldbank",
        lambda s: in_turn((429, {"Retry-After": "1"}, b"Too Many Requests"), then=s.good("worldbank")),
        recovers=True,
        requests=2,
        waited_at_least=1.0,
    ),
    Fault("http_404", "opec", lambda s: status(404, b"Not Found"), r"HTTP 404", requests=1),
    Fault(
        "http_404",
        "fred",
        lambda s: status(404, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"HTTP 404",
        requests=1,
    ),
    Fault("http_403", "imf", lambda s: status(403, b"Forbidden"), r"HTTP 403", requests=1),
    Fault(
        "redirect_to_another_host",
        "imf",
        lambda s: status(302, b"", {"Location": "http://evil.example/steal?x=1"}),
        r"redirected to another host.*evil\.example.*not followed",
        requests=1,
    ),
    Fault(
        "redirect_to_another_host",
        "unhcr",
        lambda s: status(301, b"", {"Location": "https://api.unhcr.org.evil.example/"}),
        r"redirected to another host",
        requests=1,
    ),
    Fault(
        "body_over_size_limit_declared",
        "energy_institute",
        lambda s: status(200, b"x" * 300_000),
        r"300,000 bytes is over the 200,000-byte limit",
        http={"max_bytes": 200_000},
        requests=1,
    ),
    Fault(
        "body_over_size_limit_streamed",
        "unhcr",
        lambda s: Raw(endless_undeclared),
        r"body is over the 200,000-byte limit",
        http={"max_bytes": 200_000},
        requests=1,
    ),
    Fault(
        "body_dripping_for_ever",
        "fred",
        lambda s: Raw(drip),
        r"body still arriving after 0\.5 s",
        http={"max_seconds": 0.5},
        requests=1,
    ),
    # content
    Fault(
        "html_error_page",
        "worldbank",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected JSON, got an HTML",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "imf",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected JSON, got an HTML",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "unhcr",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected JSON, got an HTML",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "fred",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected CSV, got an HTML page",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "opec",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"DOCTYPE",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "energy_institute",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"not an \.xlsx workbook",
        requests=1,
    ),
    Fault(
        "truncated_json",
        "worldbank",
        lambda s: edit_bytes(s.good("worldbank"), lambda b: b[: len(b) // 2]),
        r"not valid JSON",
        requests=1,
    ),
    Fault(
        "truncated_json",
        "imf",
        lambda s: edit_bytes(s.good("imf"), lambda b: b[: len(b) // 2]),
        r"not valid JSON",
        requests=1,
    ),
    Fault(
        "truncated_json",
        "unhcr",
        lambda s: edit_bytes(s.good("unhcr"), lambda b: b[: len(b) // 2]),
        r"answer is not JSON",
        requests=1,
    ),
    Fault(
        "truncated_xml",
        "opec",
        lambda s: edit_bytes(s.good("opec"), lambda b: b[: len(b) // 2]),
        r"not well-formed XML",
        requests=1,
    ),
    Fault(
        "truncated_workbook",
        "energy_institute",
        lambda s: edit_bytes(s.good("energy_institute"), lambda b: b[: len(b) // 2]),
        r"not an \.xlsx workbook",
        requests=1,
    ),
    Fault("empty_body", "imf", lambda s: status(200, b""), r"empty body", requests=1),
    Fault("empty_body", "fred", lambda s: status(200, b"", {"Content-Type": "text/csv"}), r"empty body", requests=1),
    Fault(
        "envelope_without_data",
        "worldbank",
        lambda s: status(200, json.dumps([{"page": 1, "pages": 0, "total": 0}, None]).encode()),
        r"holds no observations",
        requests=1,
    ),
    Fault(
        "envelope_without_data",
        "unhcr",
        lambda s: status(200, b'{"page": 1, "maxPages": 1, "total": {"items": 0}, "items": []}'),
        r"no items",
        requests=1,
    ),
    Fault(
        "envelope_without_data",
        "imf",
        lambda s: status(200, b'{"values": {"PCPIPCH": {}}, "api": {"version": "1"}}'),
        r"returned no values",
        requests=1,
    ),
    Fault(
        "envelope_without_data",
        "fred",
        lambda s: status(200, b"observation_date,DCOILWTICO\n"),
        r"holds no observations",
        requests=1,
    ),
    Fault("envelope_without_data", "opec", lambda s: _opec(""), r"no <BasketList", requests=1),
    Fault(
        "worldbank_message_error",
        "worldbank",
        lambda s: status(200, json.dumps(WB_ERROR).encode()),
        r"answered with an error: Invalid value \(id 120\)",
        requests=1,
    ),
    Fault(
        "worldbank_announces_a_billion_pages",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), lambda d: d[0].update(pages=10**9)),
        r"over the limit of 50",
        requests=1,
    ),
    Fault(
        "imf_body_without_values",
        "imf",
        lambda s: status(200, b'{"api": {"version": "1", "output-method": "json"}}'),
        r"returned no values for PCPIPCH",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), _each_wb(_rename("countryiso3code", "countryIso3"))),
        r"expected field 'countryiso3code'",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "unhcr",
        lambda s: edit_json(s.good("unhcr"), _each_unhcr(_rename("coa_iso", "coa_iso3"))),
        r"item has no field 'coa_iso'",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "imf",
        lambda s: edit_json(s.good("imf"), lambda d: {"data": d["values"], "api": d["api"]}),
        r"returned no values",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "fred",
        lambda s: edit_bytes(s.good("fred"), lambda b: b.replace(b",DCOILWTICO", b",VALUE")),
        r"expected header",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "opec",
        lambda s: edit_bytes(s.good("opec"), lambda b: b.replace(b" val=", b" value=")),
        r"val=None is not a price",
        requests=1,
    ),
    Fault(
        "renamed_sheet",
        "energy_institute",
        lambda s: _ei_sheet_renamed,
        r"sheet 'Oil Production - barrels' not in workbook",
        requests=1,
    ),
    Fault(
        "changed_unit",
        "worldbank",
        lambda s: edit_json(
            s.good("worldbank"), _each_wb(lambda o: o["indicator"].update(value="Consumer price index (2010 = 100)"))
        ),
        r"unit changed: .*'Consumer price index \(2010 = 100\)'.*'annual %'",
        requests=1,
    ),
    Fault(
        "changed_type",
        "imf",
        lambda s: edit_json(s.good("imf"), lambda d: d["values"]["PCPIPCH"]["VEN"].update({"2017": "438.1%"})),
        r"expected a number for VEN 2017",
        requests=1,
    ),
    Fault(
        "duplicate_dates",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), lambda d: d[1].append(dict(d[1][1]))),
        r"duplicate date 2016-01-01 for VEN",
        requests=1,
    ),
    Fault(
        "duplicate_dates",
        "fred",
        lambda s: edit_bytes(s.good("fred"), lambda b: b + b"2020-04-20,-36.98\n"),
        r"duplicate date 2020-04-20 for WLD",
        requests=1,
    ),
    Fault(
        "duplicate_dates",
        "opec",
        lambda s: _opec('<BasketList data="2008-07-03" val="140.73" />\n' * 2),
        r"duplicate date 2008-07-03",
        requests=1,
    ),
    Fault(
        "duplicate_pages",
        "unhcr",
        lambda s: edit_json(s.good("unhcr"), lambda d: d["items"].append(dict(d["items"][0]))),
        r"2017 COL appears twice",
        requests=1,
    ),
    Fault(
        "value_out_of_range",
        "fred",
        lambda s: status(200, FRED_TEN_MILLION),
        r"value 1e\+07 .* outside the plausible range for unit 'usd_per_barrel'",
        requests=1,
    ),
    Fault(
        "value_out_of_range",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), lambda d: d[1][1].update(value=1e12)),
        r"value 1e\+12 .*outside the plausible range for unit 'pct'",
        requests=1,
    ),
    Fault(
        "value_out_of_range",
        "unhcr",
        lambda s: edit_json(s.good("unhcr"), lambda d: d["items"][0].update(refugees=-5_000_000_000)),
        r"outside the plausible range for unit 'persons'",
        requests=1,
    ),
    Fault(
        "value_not_finite",
        "opec",
        lambda s: _opec('<BasketList data="2008-07-03" val="NaN" />\n'),
        r"val='NaN' is not a price",
        requests=1,
    ),
    Fault(
        "unhcr_pages_never_end",
        "unhcr",
        lambda s: _unhcr_growing,
        r"page 2 announces maxPages 3 but page 1 announced 2.*never ends",
        requests=2,
        url=unhcr.page_url(2),
    ),
]
