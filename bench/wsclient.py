"""A light Streamlit client: speaks the browser's websocket protocol without drawing anything.

It opens ``/_stcore/stream`` with the ``streamlit`` subprotocol, asks for a page with a
``rerun_script`` BackMsg (query string, page name, widget states, the hashes of the messages it
already holds, as the frontend does), and reads ForwardMsgs until ``script_finished``. A run
returns what the browser would have been sent: elements, widgets, Plotly specs and exceptions.
Used for the classroom load (30 sessions on one event loop) and to count chart bytes per page.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

WIDGET_TYPES = {"selectbox", "radio", "multiselect", "slider", "button_group", "checkbox"}
FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


@dataclass
class Widget:
    """One widget the server drew: enough to choose a new value for it."""

    kind: str
    id: str
    label: str
    proto: object

    def options(self) -> list[str]:
        if self.kind == "button_group":
            return [option.content for option in self.proto.options]
        return list(getattr(self.proto, "options", []))


@dataclass
class Run:
    """What one script run sent: timings, sizes, elements and widgets."""

    seconds: float = 0.0
    status: str = ""
    messages: int = 0
    bytes: int = 0
    plotly_specs: list[int] = field(default_factory=list)
    elements: dict[str, int] = field(default_factory=dict)
    widgets: list[Widget] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    page_hash: str = ""
    specs: list[str] = field(default_factory=list)
    cached_elements: int = 0

    @property
    def chart_bytes(self) -> int:
        return sum(self.plotly_specs)


class Session:
    """One browser tab's worth of protocol: ``async with Session(base) as s: await s.run("explore")``."""

    def __init__(self, base: str, cache_messages: bool = True, keep_specs: bool = False):
        self.keep_specs = keep_specs
        self.url = base.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.cache_messages = cache_messages
        self.cached: dict[str, ForwardMsg] = {}  # what the frontend's message cache holds, by hash
        self.states: dict[str, WidgetState] = {}
        self.page_hash = ""
        self.page_name = ""
        self.query = ""
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=30)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def open_page(self, page_name: str, query: str = "", timeout: float = 60) -> Run:
        """A first visit to ``/page_name?query``: no widget state."""
        self.page_name, self.query, self.page_hash, self.states = page_name, query, "", {}
        return await self.rerun(timeout=timeout)

    async def rerun(self, timeout: float = 60) -> Run:
        """Send the current widget states and wait for the script to finish."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page_name
        state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend(self.states.values())
        if self.cache_messages:
            state.cached_message_hashes.extend(sorted(self.cached))
        run = Run()
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._read_until_finished(run), timeout)
        run.seconds = time.perf_counter() - start
        if run.page_hash:
            self.page_hash = run.page_hash
        return run

    async def _read_until_finished(self, run: Run) -> None:
        while True:
            data = await self.ws.recv()
            run.messages += 1
            run.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.metadata.cacheable and fwd.hash:
                self.cached[fwd.hash] = fwd
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash" and fwd.ref_hash in self.cached:  # an element we already hold, by reference
                fwd, kind = self.cached[fwd.ref_hash], "delta"
                run.cached_elements += 1
            if kind == "delta":
                self._read_delta(fwd, run, self.keep_specs)
            elif kind == "page_info_changed":  # the app set st.query_params: a browser's URL follows, and so do we
                self.query = fwd.page_info_changed.query_string
            elif kind == "navigation":
                run.page_hash = fwd.navigation.page_script_hash or run.page_hash
            elif kind == "page_not_found":
                run.exceptions.append(f"page not found: {self.page_name}")
            elif kind == "script_finished":
                if fwd.script_finished in FINISHED:
                    run.status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                    return
            if fwd.metadata.active_script_hash and not run.page_hash:
                run.page_hash = fwd.metadata.active_script_hash

    @staticmethod
    def _read_delta(fwd: ForwardMsg, run: Run, keep_specs: bool) -> None:
        if fwd.delta.WhichOneof("type") != "new_element":
            return
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        run.elements[kind] = run.elements.get(kind, 0) + 1
        if kind == "plotly_chart":
            run.plotly_specs.append(len(element.plotly_chart.spec.encode()))
            if keep_specs:
                run.specs.append(element.plotly_chart.spec)
        elif kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            run.exceptions.append(f"error box: {element.alert.body[:200]}")
        elif kind in WIDGET_TYPES:
            proto = getattr(element, kind)
            run.widgets.append(Widget(kind, proto.id, getattr(proto, "label", ""), proto))

    def change(self, widget: Widget, rng: random.Random) -> str:
        """Give ``widget`` a different value (as a reader's click would); return a description."""
        state = WidgetState(id=widget.id)
        options = widget.options()
        previous = self.states.get(widget.id)
        if widget.kind in ("selectbox", "radio"):
            current = previous.string_value if previous else _current_single(widget)
            choice = rng.choice([o for o in options if o != current] or options)
            state.string_value = choice
        elif widget.kind == "button_group":
            current = list(previous.string_array_value.data) if previous else []
            choice = rng.choice([o for o in options if [o] != current] or options)
            state.string_array_value.data.append(choice)
        elif widget.kind == "multiselect":
            current = list(previous.string_array_value.data) if previous else _current_multi(widget)
            if len(current) >= 3:  # a reader compares a few things, not everything
                choice = rng.choice(current)
            else:
                choice = rng.choice([o for o in options if o not in current] or options)
            keep = choice in current and len(current) > 1
            chosen = [o for o in current if o != choice] if keep else current + [choice]
            state.string_array_value.data.extend(dict.fromkeys(chosen))
        elif widget.kind == "slider":
            proto = widget.proto
            if proto.options:  # select_slider: values are option labels
                n = len(proto.options)
                picks = sorted(rng.sample(range(n), 2)) if len(proto.default) == 2 else [rng.randrange(n)]
                state.string_array_value.data.extend(proto.options[i] for i in picks)
                choice = "..".join(state.string_array_value.data)
            else:
                steps = max(1, int(round((proto.max - proto.min) / (proto.step or 1))))
                value = lambda: proto.min + rng.randrange(steps + 1) * (proto.step or 1)  # noqa: E731
                values = sorted([value(), value()]) if len(proto.default) == 2 else [value()]
                state.double_array_value.data.extend(values)
                choice = "..".join(f"{v:g}" for v in values)
        elif widget.kind == "checkbox":
            current = previous.bool_value if previous else widget.proto.default
            state.bool_value = not current
            choice = str(not current)
        else:
            raise ValueError(f"cannot change a {widget.kind}")
        self.states[widget.id] = state
        return f"{widget.kind} '{widget.label}' -> {choice}"


def _current_single(widget: Widget) -> str | None:
    proto = widget.proto
    if getattr(proto, "set_value", False) and proto.raw_value:
        return proto.raw_value
    options = widget.options()
    return options[proto.default] if proto.HasField("default") and proto.default < len(options) else None


def _current_multi(widget: Widget) -> list[str]:
    options = widget.options()
    return [options[i] for i in widget.proto.default if i < len(options)]
