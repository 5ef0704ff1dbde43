"""A fake publisher server for tests: small answers in each API's real format, on 127.0.0.1.

Routes are ``(host, path) -> handler(query) -> (status, headers, body)``; a test swaps a handler
to inject a fault. Values are few and made up except where a test checks a real one.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from openpyxl import Workbook

REPO = Path(__file__).resolve().parents[1]
Handler = Callable[[dict], tuple[int, dict, bytes]]


def json_answer(doc: object) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(doc).encode()


def worldbank(query: dict) -> tuple[int, dict, bytes]:
    observations = [
        {
            "indicator": {"id": "FP.CPI.TOTL.ZG", "value": "Inflation, consumer prices (annual %)"},
            "country": {"id": "VE", "value": "Venezuela, RB"},
            "countryiso3code": "VEN",
            "date": str(year),
            "value": value,
            "unit": "",
            "obs_status": "",
            "decimal": 1,
        }
        for year, value in [(2017, None), (2016, 254.9), (2015, 121.7), (2014, 62.2)]
    ]
    per_page, page = int(query.get("per_page", ["50"])[0]), int(query.get("page", ["1"])[0])
    pages = -(-len(observations) // per_page)
    head = {
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "total": len(observations),
        "sourceid": "2",
        "lastupdated": "2026-07-01",
    }
    return json_answer([head, observations[(page - 1) * per_page : page * per_page]])


def imf(query: dict) -> tuple[int, dict, bytes]:
    return json_answer(
        {
            "values": {"PCPIPCH": {"VEN": {"2017": 438.117, "2018": 65374.08, "2024": 49.0}}},
            "api": {"version": "1", "output-method": "json"},
        }
    )


def fred(query: dict) -> tuple[int, dict, bytes]:
    body = "observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,-36.98\n2020-04-21,8.91\n2020-04-22,\n"
    return 200, {"Content-Type": "text/csv"}, body.encode()


def unhcr(query: dict) -> tuple[int, dict, bytes]:
    def item(year: int, coa: str, refugees: int, asylum: int, oip: int | None) -> dict:
        return {
            "year": year,
            "coo_name": "Venezuela (Bolivarian Republic of)",
            "coo": "VEN",
            "coo_iso": "VEN",
            "coa_name": coa,
            "coa": coa,
            "coa_iso": coa,
            "refugees": refugees,
            "asylum_seekers": asylum,
            "returned_refugees": 0,
            "idps": 0,
            "returned_idps": 0,
            "stateless": 0,
            "ooc": 0,
            "oip": oip,
            "hst": 0,
        }

    items = [item(2017, "COL", 10, 20, None), item(2018, "COL", 100, 200, 300), item(2018, "PER", 1, 2, 3)]
    return json_answer({"page": 1, "maxPages": 1, "total": {"items": len(items)}, "items": items})


def opec(query: dict) -> tuple[int, dict, bytes]:
    body = (
        '<?xml version="1.0" encoding="utf-8" ?>\n<Basket xmlns="http://tempuri.org/basketDayArchives.xsd">\n'
        '<BasketList data="2008-07-03" val="140.73" />\n<BasketList data="2008-07-04" val="141.01" />\n</Basket>\n'
    )
    return 200, {"Content-Type": "application/xml"}, body.encode()


def energy_institute_workbook(sheet: str = "Oil Production - barrels") -> bytes:
    """A tiny workbook laid out like the Statistical Review's: title rows, a year header, country rows."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["Oil: Production*"])
    ws.append(["Thousand barrels daily", 1997, 1998, 1999])
    ws.append([])
    ws.append(["Venezuela", 3321.0, 3480.0, 3126.0])
    ws.append(["Colombia", 660.0, 775.0, 838.0])
    ws.append(["Total World", 72000.0, 73500.0, 72300.0])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def energy_institute(query: dict) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/vnd.ms-excel"}, energy_institute_workbook()


# One series per source keeps the integration tests fast while running every source's real code:
# source -> (its series, the (host, path) its live URL asks for, the handler answering there).
PUBLISHERS: dict[str, tuple[str, tuple[str, str], Handler]] = {
    "worldbank": (
        "inflation_cpi_wb_pct",
        (
            "api.worldbank.org",
            "/v2/country/VEN;COL;BRA;ECU;MEX;ARG;CHL;PER;NGA;SAU;NOR;USA;WLD;LCN/indicator/FP.CPI.TOTL.ZG",
        ),
        worldbank,
    ),
    "imf": (
        "inflation_avg_imf_pct",
        ("www.imf.org", "/external/datamapper/api/v1/PCPIPCH/VEN/COL/BRA/ECU/MEX/ARG/CHL/PER/NGA/SAU/NOR/USA"),
        imf,
    ),
    "fred": ("oil_price_wti_daily_usd_per_barrel", ("fred.stlouisfed.org", "/graph/fredgraph.csv"), fred),
    "unhcr": ("displaced_abroad_from_ven_unhcr_persons", ("api.unhcr.org", "/population/v1/population/"), unhcr),
    "opec": ("oil_price_opec_basket_daily_usd_per_barrel", ("www.opec.org", "/basket/basketDayArchives.xml"), opec),
    "energy_institute": (
        "oil_production_ei_thousand_barrels_per_day",
        ("www.energyinst.org", "/__data/assets/excel_doc/0020/1540550/EI-Stats-Review-All-Data.xlsx"),
        energy_institute,
    ),
}
SMALL_SERIES = [series for series, _, _ in PUBLISHERS.values()]
ROUTES = {route: handler for _, route, handler in PUBLISHERS.values()}


class PublisherServer:
    """Serves ROUTES (copied, so a test may replace any) under ``base_url/<host>/<path>``; counts requests."""

    def __init__(self) -> None:
        self.routes = dict(ROUTES)
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                host, _, rest = url.path.lstrip("/").partition("/")
                server.requests.append(self.path)
                handler = server.routes.get((host, "/" + rest))
                status, headers, body = handler(parse_qs(url.query)) if handler else (404, {}, b"not found")
                self.send_response(status)
                for key, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: a size or time limit under test did its job

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PublisherServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def small_data_dir(target: Path, series: list[str] = SMALL_SERIES) -> Path:
    """A data folder holding the project's catalog cut down to ``series``, and nothing else."""
    doc = yaml.safe_load((REPO / "data" / "catalog.yaml").read_text(encoding="utf-8"))
    doc["series"] = [entry for entry in doc["series"] if entry["id"] in series]
    target.mkdir(parents=True, exist_ok=True)
    (target / "catalog.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def copy_data_dir(target: Path) -> Path:
    """A full copy of the project's data folder, for tests that change it."""
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns(".*"))
    return target
