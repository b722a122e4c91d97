"""What the browser tests share: `efile serve` on a test home, Debian's headless Chromium
through Playwright, signing in through the login form, screenshots, and the page checks
(no horizontal scrolling, a label on every input, WCAG contrast, German words only: see
support/german.py). A test module builds its home, then `yield from serve(tmp, extras)`
in its own module-scoped `site` fixture, and imports the fixtures `chromium` and `shots`."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import EFILE_BIN
from webhome import PASSWORD

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"{CHROMIUM} missing: install Debian's chromium "
                                           "(deploy/setup.sh test does)")
VIEWPORT = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(tmp: Path, data: dict):
    """`efile serve` on the home in use (conftest.use_home); yields {"url", **data} while it
    runs, and stops it."""
    port = _free_port()
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen([EFILE_BIN, "serve", "--port", str(port)], env=os.environ.copy(),
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/anmelden", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("efile serve did not come up:\n" + (tmp / "serve.log").read_text())
        time.sleep(0.2)
    yield {"url": url, **data}
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


_signed_in: dict[tuple[str, str], dict] = {}  # (site, user) -> cookies after the login form


def open_as(chromium, site, user: str | None, *, fresh: bool = False):
    """A new browser window with its own cookies, at the start page. Signed in as `user`
    through the login form, once per user (Argon2 is slow on purpose), or again if `fresh`."""
    state = _signed_in.get((site["url"], user)) if user and not fresh else None
    page = chromium.new_context(viewport=VIEWPORT, locale="de-DE",
                                storage_state=state).new_page()
    page.set_default_timeout(10_000)
    if state:
        page.goto(site["url"] + "/")
    elif user:
        page.goto(site["url"] + "/anmelden")
        page.get_by_label("Benutzername").fill(user)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        assert "/anmelden" not in page.url, page.inner_text("main")
        if not fresh:
            _signed_in[(site["url"], user)] = page.context.storage_state()
    return page


def shoot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"{page.url}: {width}px wide, wider than the screen"


UNNAMED = re.compile(r"^\s*- (textbox|searchbox|combobox|button|checkbox|radio|link)( \[.*\])?:?$")


def unlabelled_inputs(page) -> list[str]:
    """Form controls without a <label> (or aria-label), and any control or link that the
    accessibility tree, as a screen reader gets it, shows without a name."""
    no_label = page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.outerHTML)""")
    tree = page.locator("body").aria_snapshot()
    return no_label + [line for line in tree.splitlines() if UNNAMED.match(line)]


# WCAG 2.1 contrast of every visible piece of text against the colour behind it: 4.5:1, or
# 3:1 for large text (24 px, or 18.66 px bold). Translucent grounds are resolved by walking
# up to the first opaque ancestor; placeholder and disabled text are exempt under WCAG.
LOW_CONTRAST_JS = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ground = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || !el.checkVisibility() || el.closest('.sr-only')) continue;
    const st = getComputedStyle(el);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const [a, b] = [lum(rgb(st.color).slice(0, 3)), lum(ground(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < need) out.push(`${n.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
  }
  return out;
}"""


def main_text(page) -> str:
    return " ".join(page.inner_text("main").split())


def hits(page) -> int:
    """The number of hits the search page announces."""
    return int(page.locator("#total").inner_text().split()[0])
