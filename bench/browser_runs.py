"""What a reader waits for, timed inside headless Chromium (Playwright).

Times are taken in the page itself, on animation frames: a chart counts as drawn when its Plotly
div holds a drawn trace, and as redrawn when the drawn trace paths change. ``performance.now()``
starts at navigation, so a cold load is measured from the moment the URL is requested.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from tests.browser import CHROMIUM_ARGS, chromium_path

VIEWPORT = {"width": 1400, "height": 1000}

# Installed before any page script: records when the first and the n-th chart have drawn.
LOAD_MONITOR = """
(expected) => {
  const b = window.__bench = {first: null, all: null, expected};
  const drawn = () => {
    let n = 0;
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (gd._fullLayout && gd.querySelector('.main-svg .trace')) n++;
    }
    return n;
  };
  const tick = () => {
    const n = drawn(), t = performance.now();
    if (n > 0 && b.first === null) b.first = t;
    if (n >= b.expected && b.all === null) { b.all = t; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""

# Installed once per page: __arm() remembers the drawn chart paths; the first input event after it
# and the first animation frame on which the paths differ are recorded.
REDRAW_MONITOR = """
() => {
  if (window.__redrawMonitor) return;
  window.__redrawMonitor = true;
  const signature = () => Array.from(
    document.querySelectorAll('.js-plotly-plot .scatterlayer path, .js-plotly-plot .barlayer path')
  ).map(p => { const d = p.getAttribute('d') || ''; return d.length + d.slice(0, 60) + d.slice(-60); }).join('|');
  const mark = () => { if (window.__armed && window.__input === null) window.__input = performance.now(); };
  document.addEventListener('click', mark, true);
  document.addEventListener('keydown', mark, true);
  window.__arm = () => {
    const base = signature();
    window.__armed = true; window.__input = null; window.__redraw = null;
    const loop = () => {
      if (window.__input !== null && signature() !== base) {
        window.__redraw = performance.now(); window.__armed = false; return;
      }
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  };
}
"""

# Installed before any page script: the arrival time of every websocket message, to split an interaction's
# latency into "until the server's last message before the redraw" and "drawing after it".
WS_MONITOR = """
(() => {
  window.__wsTimes = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__wsTimes.push(performance.now());
        if (window.__wsTimes.length > 500) window.__wsTimes.splice(0, 250);
      });
    }
  };
})();
"""

IDLE = "() => !document.querySelector('[data-testid=stStatusWidget]') && !document.querySelector('.stSpinner')"


@dataclass
class Load:
    first_ms: float
    all_ms: float


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def wait_idle(page, timeout_ms: int = 60_000, settle_ms: int = 300) -> None:
    """Until the app has stopped running (twice in a row, ``settle_ms`` apart)."""
    page.wait_for_function(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(IDLE, timeout=timeout_ms)


def count_charts(browser, url: str) -> int:
    """How many Plotly charts the page shows once it has finished running."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=60_000)
        wait_idle(page, settle_ms=1000)
        return page.locator(".js-plotly-plot").count()
    finally:
        context.close()


def cold_load(browser, url: str, expected: int, timeout_ms: int = 60_000) -> Load:
    """A first visit in a fresh browser context (empty HTTP cache): ms until the first and all charts drew."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(f"({LOAD_MONITOR})({expected})")
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__bench && window.__bench.all !== null", timeout=timeout_ms)
        marks = page.evaluate("() => window.__bench")
        return Load(marks["first"], marks["all"])
    finally:
        context.close()


# --- controls -------------------------------------------------------------------------------------------


@dataclass
class Control:
    kind: str  # selectbox, multiselect, radio, slider, checkbox
    label: str

    def __str__(self) -> str:
        return f"{self.kind} '{self.label}'"


def find_controls(page) -> list[Control]:
    """The widgets in the main area that this driver can change, in page order."""
    found = page.evaluate(
        """() => {
      const out = [];
      const main = document.querySelector('[data-testid=stMain]') || document.body;
      for (const el of main.querySelectorAll('[role=combobox], [role=radiogroup], input[type=range],'
          + '[role=checkbox], [role=switch], input[type=checkbox]')) {
        const box = el.closest('[data-testid=stSelectbox], [data-testid=stMultiSelect], [data-testid=stRadio],'
          + '[data-testid=stButtonGroup], [data-testid=stSlider], [data-testid=stCheckbox]');
        if (!box || el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
        const kind = {stSelectbox: 'selectbox', stMultiSelect: 'multiselect', stRadio: 'radio',
          stButtonGroup: 'radio', stSlider: 'slider', stCheckbox: 'checkbox'}[box.dataset.testid];
        const label = el.getAttribute('aria-label') || '';
        if (!out.some(c => c.kind === kind && c.label === label)) out.push({kind, label});
      }
      return out;
    }"""
    )
    return [Control(c["kind"], c["label"]) for c in found if c["label"]]


def change(page, control: Control, rng: random.Random) -> str:
    """Change ``control`` as a reader would; the page's __arm() is called just before the deciding input."""
    if control.kind in ("selectbox", "multiselect"):
        box = page.get_by_role("combobox", name=control.label, exact=True)
        if control.kind == "multiselect":
            tags = page.locator(f"[data-testid=stMultiSelect]:has([aria-label='{_css(control.label)}'])")
            removable = tags.get_by_role("button", name="Remove ").all() if tags.count() else []
            if len(removable) >= 3 or (len(removable) >= 2 and rng.random() < 0.4):
                page.evaluate("window.__arm()")
                removable[-1].click()
                return f"{control} remove"
        current = box.input_value() if control.kind == "selectbox" else None
        box.click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        names = [n for n in options.all_inner_texts() if n.strip() and n != current and n != "Select all"]
        choice = rng.choice(names)
        page.evaluate("window.__arm()")
        page.get_by_role("option", name=choice, exact=True).first.click()
        if control.kind == "multiselect":
            page.keyboard.press("Escape")
        return f"{control} -> {choice}"
    if control.kind == "radio":
        group = page.get_by_role("radiogroup", name=control.label, exact=True)
        radios = group.get_by_role("radio")
        free = [i for i in range(radios.count()) if not radios.nth(i).is_checked()]
        i = rng.choice(free or list(range(radios.count())))
        page.evaluate("window.__arm()")
        target = radios.nth(i)
        target.locator("xpath=ancestor-or-self::label[1]").first.click() if target.evaluate(
            "e => e.tagName === 'INPUT'"
        ) else target.click()
        return f"{control} -> option {i + 1}"
    if control.kind == "slider":
        slider = page.locator(f"[data-testid=stMain] input[type=range][aria-label='{_css(control.label)}']").first
        lo, hi, value = (float(slider.get_attribute(a) or 0) for a in ("min", "max", "value"))
        key = "ArrowLeft" if value >= hi or (value > lo and rng.random() < 0.5) else "ArrowRight"
        slider.focus()
        page.evaluate("window.__arm()")
        page.keyboard.press(key)
        return f"{control} {key}"
    if control.kind == "checkbox":
        box = page.get_by_role("checkbox", name=control.label, exact=True)
        if not box.count():
            box = page.get_by_role("switch", name=control.label, exact=True)
        page.evaluate("window.__arm()")
        box.locator("xpath=ancestor::label[1]").first.click()
        return f"{control} toggled"
    raise ValueError(control.kind)


@dataclass
class Change:
    ms: float  # from the deciding click or key press until a chart has redrawn with the new data
    server_ms: float | None  # until the last websocket message that arrived before the redraw
    done: str


def timed_change(page, control: Control, rng: random.Random, timeout_ms: int = 30_000) -> Change:
    """Change ``control`` and time it until a chart has redrawn with new data."""
    page.evaluate(REDRAW_MONITOR)
    done = change(page, control, rng)
    try:
        page.wait_for_function("() => window.__redraw !== null", timeout=timeout_ms, polling="raf")
    except Exception as e:  # noqa: BLE001 - say what was done
        raise RuntimeError(f"{done}: no chart redrew within {timeout_ms / 1000:g} s") from e
    marks = page.evaluate(
        """() => {
          const seen = (window.__wsTimes || []).filter(t => t > window.__input && t <= window.__redraw);
          return [window.__input, window.__redraw, seen.length ? seen[seen.length - 1] : null];
        }"""
    )
    wait_idle(page)
    return Change(marks[1] - marks[0], None if marks[2] is None else marks[2] - marks[0], done)


def open_page(browser, url: str, charts: int = 1):
    """A page in a new context, loaded and idle; the caller closes ``page.context``."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WS_MONITOR)
    page = context.new_page()
    page.goto(url)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg .trace", state="attached", timeout=60_000)
    wait_idle(page, settle_ms=800)
    page.evaluate(REDRAW_MONITOR)
    return page


def _css(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def now() -> float:
    return time.perf_counter()
