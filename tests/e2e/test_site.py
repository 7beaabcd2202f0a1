"""The course website in Chromium: every page loads, shows its figures and maths, links well.

The site is built once for this module, into a temporary folder, by the function that
``python tools/build_site.py`` runs, and served from 127.0.0.1 on a free port. Every request
the pages make to anywhere else is blocked and fails the test of that page, so the site is
known to work offline (MathJax, fonts and icons included).

For each page: no console error or page error; every ``<img>`` decoded; each figure's alt text
is the one its notebook output carries (so the check tightens by itself as outputs get alt
text); every maths element typeset by MathJax without an error; every link into the site
reaches an existing page and id; worked solutions collapsed until clicked; nothing of the
instructor's solutions. One full-page screenshot per page goes to ``artifacts/site/``, plus
one of a figure-heavy page in the dark theme.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

import build_site  # noqa: E402
import site_notebooks  # noqa: E402

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "artifacts" / "site"
NOTEBOOKS = site_notebooks.course_notebooks(REPO / "notebooks")
PAGES = ["index.html", "instructors.html"] + [f"notebooks/{p.stem}.html" for p in NOTEBOOKS]
#: Sphinx's own pages, checked like the others.
SPHINX_PAGES = ["genindex.html", "search.html"]
#: The page with the most figures, shown once more in the dark theme.
DARK_PAGE = "notebooks/06_convergence.html"
#: Milliseconds MathJax may take to typeset a page.
MATHJAX_TIMEOUT = 20_000


# -- the site, served ------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(browser_requirements, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "html"
    result = build_site.build(out)
    print(result.summary())
    return result.out


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


@pytest.fixture(scope="module")
def ids_by_page(site) -> dict[str, set]:
    """{page path relative to the site: the ids in its HTML} for every page of the site."""
    found = {}
    for path in site.rglob("*.html"):
        parser = _Ids()
        parser.feed(path.read_text(encoding="utf-8"))
        found[path.relative_to(site).as_posix()] = parser.ids
    return found


@pytest.fixture(scope="module")
def context(chromium, base_url):
    """A browser context that lets requests reach the test server only."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    ctx.blocked = []

    def route(r):
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            ctx.blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def open_page(context, url: str):
    """Open ``url``; return the page and the list its console and page errors go to."""
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.goto(url, wait_until="load")
    typeset = page.evaluate("""(ms) => !window.MathJax ? 'no MathJax' : Promise.race([
        MathJax.startup.promise.then(() => 'typeset'),
        new Promise(done => setTimeout(() => done('timed out'), ms))])""", MATHJAX_TIMEOUT)
    assert typeset in ("typeset", "no MathJax"), f"{url}: MathJax {typeset}"
    return page, errors


# -- what the notebooks say a page must show --------------------------------------------------
def notebook_of(page_name: str) -> Path | None:
    stem = Path(page_name).stem
    return next((p for p in NOTEBOOKS if p.stem == stem), None)


def output_alt_texts(notebook: Path) -> list[str]:
    """The alt text of each image output that carries one, in notebook order."""
    nb = nbformat.read(notebook, as_version=4)
    return [alt for cell in nb.cells if cell.cell_type == "code"
            for alt in site_notebooks.image_alt_texts(cell)]


def learner_text() -> str:
    """Everything the site may show: the learner notebooks' sources and outputs, the README."""
    parts = [(REPO / "README.md").read_text(encoding="utf-8")]
    for notebook in NOTEBOOKS:
        for cell in nbformat.read(notebook, as_version=4).cells:
            parts.append(cell.source)
            parts += [str(o.get("text", "")) + str(o.get("data", {}))
                      for o in cell.get("outputs", [])]
    return flat("\n".join(parts).replace("`", ""))


def flat(text: str) -> str:
    """``text`` with every run of white space made one space (as a page's text shows it)."""
    return re.sub(r"\s+", " ", text)


def solution_lines() -> list[str]:
    """Code lines of the instructor's solutions (between the solution markers) found nowhere
    in the learner notebooks or the README: text that proves a leak when a page shows it."""
    learner = learner_text()
    nb = nbformat.read(REPO / "notebooks" / "solutions" / "07_exercises.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line:
                inside = True
            elif "### END SOLUTION" in line:
                inside = False
            elif inside and len(line.strip()) >= 12 and flat(line.strip()) not in learner:
                lines.append(line.strip())
    assert len(lines) >= 8, f"expected the solutions notebook's solution code, found {lines}"
    return lines


def details_count(notebook: Path) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(c.cell_type == "markdown" and "<details" in c.source for c in nb.cells)


# -- the tests -------------------------------------------------------------------------------
def test_the_site_has_exactly_the_expected_pages(site):
    assert build_site.site_pages(site) == sorted(PAGES)
    assert not list(site.rglob("*.ipynb")), "no notebook file belongs on the site"


@pytest.mark.parametrize("page_name", PAGES + SPHINX_PAGES)
def test_page(page_name, context, base_url, ids_by_page, artifacts):
    url = urljoin(base_url, page_name)
    context.blocked.clear()
    page, errors = open_page(context, url)
    try:
        check_images(page, page_name)
        check_maths(page, page_name)
        check_links(page, page_name, base_url, ids_by_page)
        text = flat(page.locator("main").text_content())
        leaked = [line for line in solution_lines() if line in text]
        assert not leaked, f"{page_name} shows solution code: {leaked[:3]}"
        if page_name == "notebooks/07_exercises.html":
            assert text.count("raise NotImplementedError") >= 8, "the learner's stubs are missing"
        notebook = notebook_of(page_name)
        if notebook is not None:
            check_solutions_collapsed(page, page_name, details_count(notebook))
        # from the top, with nothing focused: the theme's sticky header and its skip link
        # would otherwise be drawn in the middle of the full-page picture
        page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
        page.screenshot(path=str(artifacts / (Path(page_name).stem + ".png")), full_page=True)
        assert errors == [], f"{page_name}: " + "\n".join(errors)
        assert context.blocked == [], f"{page_name} asked for outside resources: {context.blocked}"
    finally:
        page.close()


def check_images(page, page_name: str) -> None:
    images = page.evaluate("""async () => {
        const imgs = [...document.querySelectorAll('img')];
        await Promise.all(imgs.map(i => {
            i.loading = 'eager';
            return i.decode().catch(() => {});
        }));
        return imgs.map(i => ({src: i.getAttribute('src'), complete: i.complete,
                               width: i.naturalWidth, alt: i.getAttribute('alt') || '',
                               output: !!i.closest('.cell_output')}));
    }""")
    broken = [i["src"] for i in images if not (i["complete"] and i["width"] > 0)]
    assert not broken, f"{page_name}: images that did not decode: {broken}"
    notebook = notebook_of(page_name)
    if notebook is None:
        assert not [i for i in images if i["output"]], f"{page_name}: unexpected outputs"
        return
    shown = [i["alt"] for i in images if i["output"] and i["alt"].strip()]
    assert shown == output_alt_texts(notebook), (
        f"{page_name}: the figures' alt texts differ from those in {notebook.name}")
    # images of the Markdown cells (media/*.gif): their alt is in the notebook's own text
    unlabelled = [i["src"] for i in images if not i["output"] and "_images/" in i["src"]
                  and not i["alt"].strip()]
    assert not unlabelled, f"{page_name}: Markdown images without alt text: {unlabelled}"


def check_maths(page, page_name: str) -> None:
    maths = page.evaluate("""() => {
        const all = [...document.querySelectorAll('main .math')];
        return {total: all.length,
                untypeset: all.filter(m => !m.querySelector('mjx-container'))
                              .map(m => m.textContent.slice(0, 80)),
                errors: [...document.querySelectorAll('mjx-merror, merror')]
                              .map(e => e.textContent.slice(0, 80))};
    }""")
    assert maths["untypeset"] == [], f"{page_name}: maths not typeset: {maths['untypeset'][:5]}"
    assert maths["errors"] == [], f"{page_name}: MathJax errors: {maths['errors'][:5]}"
    if notebook_of(page_name) is not None:
        assert maths["total"] > 10, f"{page_name}: expected maths, found {maths['total']}"


def check_links(page, page_name: str, base_url: str, ids_by_page: dict) -> None:
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert hrefs, f"{page_name}: no links at all"
    bad = []
    for href in hrefs:
        if not href.startswith(base_url):
            continue
        parts = urlsplit(href)
        target = unquote(parts.path[len(urlsplit(base_url).path):]) or "index.html"
        if target.endswith("/"):
            target += "index.html"
        if target not in ids_by_page:
            bad.append(f"{href}: no page {target}")
        elif parts.fragment and unquote(parts.fragment) not in ids_by_page[target]:
            bad.append(f"{href}: no id {parts.fragment!r} in {target}")
    assert not bad, f"{page_name}: broken internal links:\n" + "\n".join(bad)


def check_solutions_collapsed(page, page_name: str, expected: int) -> None:
    dropdowns = page.locator("main .admonition.dropdown.worked-solution")
    assert dropdowns.count() == expected, (
        f"{page_name}: expected {expected} worked solutions, found {dropdowns.count()}")
    for n in range(expected):
        dropdown = dropdowns.nth(n)
        body = dropdown.locator(":scope > :not(.admonition-title)").first
        assert dropdown.get_attribute("class").split().count("toggle-hidden") == 1
        assert not body.is_visible(), f"{page_name}: worked solution {n + 1} is open at load"
    if expected == 0:
        return
    first = dropdowns.first
    first.locator(".admonition-title").click()
    body = first.locator(":scope > :not(.admonition-title)").first
    body.wait_for(state="visible", timeout=5_000)
    assert body.locator("mjx-container").count() + body.locator("pre").count() > 0 or \
        body.text_content().strip(), f"{page_name}: the opened solution is empty"
    first.locator(".admonition-title").click()
    body.wait_for(state="hidden", timeout=5_000)


def test_dark_theme_screenshot(chromium, base_url, artifacts):
    """The figure-heavy page in pydata-sphinx-theme's dark mode (it follows the system's)."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    blocked = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url)
              else (blocked.append(r.request.url), r.abort()))
    try:
        page, errors = open_page(ctx, urljoin(base_url, DARK_PAGE))
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        page.screenshot(path=str(artifacts / (Path(DARK_PAGE).stem + "-dark.png")),
                        full_page=True)
        assert errors == [] and blocked == [], (errors, blocked)
    finally:
        ctx.close()


def test_widget_notes_replace_every_widget(site):
    """Each widget output became a note (the HTML has no widget script and no widget repr)."""
    for notebook in NOTEBOOKS:
        nb = nbformat.read(notebook, as_version=4)
        widgets = sum(site_notebooks.WIDGET_MIME in o.get("data", {})
                      for c in nb.cells for o in c.get("outputs", []))
        html = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert html.count("widget-note") == widgets, notebook.name
        assert site_notebooks.WIDGET_MIME not in html
        assert not re.search(r"(MultipleChoice|NumberQuestion|BlitExplorer)\(children=", html)
