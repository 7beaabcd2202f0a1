"""A ``gdcourse.widgets.Explorer`` as the browser shows it, driven like a learner.

An explorer is a VBox: an optional title, a row of controls (each labelled by
its ``description``), the figure (an ``<img>`` holding the PNG) and an HTML
readout. Controls are found by their label text; sliders are moved with the
keyboard (focus the handle, press arrow keys) or by typing into their readout,
text boxes by typing a value and pressing Enter, buttons by clicking.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Locator, expect

__all__ = ["ExplorerView"]

# the readout is the last HTML child of the explorer's VBox
_READOUT = ":scope > .widget-html:last-child .widget-html-content"


def _label_is(text: str) -> str:
    return f'label.widget-label:text-is("{text}")'


class ExplorerView:
    """The explorer rendered in ``output`` (a locator inside a cell's output area)."""

    def __init__(self, root: Locator):
        self.root = root
        self.page = root.page

    @classmethod
    def in_cell(cls, cell: Locator, nth: int = 0, *, figure: bool = True) -> "ExplorerView":
        """The ``nth`` explorer among a cell's outputs.

        With ``figure=True`` only VBoxes that hold a widget image count (an
        Explorer); otherwise any VBox output does (the quiz widgets: a
        question, an input and a feedback line).
        """
        box = cell.locator(".jp-OutputArea-output > .widget-vbox")
        if figure:
            box = box.filter(has=cell.page.locator(":scope > img.widget-image"))
        box = box.nth(nth)
        box.scroll_into_view_if_needed()
        expect(box).to_be_visible()
        return cls(box)

    # -- parts --------------------------------------------------------------------------
    @property
    def image(self) -> Locator:
        return self.root.locator(":scope > img.widget-image")

    @property
    def readout(self) -> Locator:
        return self.root.locator(_READOUT)

    def control(self, description: str) -> Locator:
        """The control whose label reads ``description`` (exactly)."""
        loc = self.root.locator(f"*:has(> {_label_is(description)})")
        expect(loc).to_have_count(1)
        return loc

    def button(self, text: str) -> Locator:
        loc = self.root.locator("button.jupyter-button").filter(has_text=re.compile(
            rf"^\s*{re.escape(text)}\s*$"))
        expect(loc).to_have_count(1)
        return loc

    def image_src(self) -> str:
        return self.image.get_attribute("src") or ""

    def readout_text(self) -> str:
        return " ".join(self.readout.inner_text().split())

    def readout_html(self) -> str:
        return self.readout.inner_html()

    # -- actions ------------------------------------------------------------------------
    def press(self, description: str, key: str, times: int = 1) -> None:
        """Focus the slider's handle and press ``key`` ``times`` times."""
        handle = self.control(description).locator(".noUi-handle")
        handle.focus()
        for _ in range(times):
            handle.press(key)

    def type_value(self, description: str, value) -> None:
        """Type ``value`` into a text box, or into a slider's readout, then press Enter."""
        control = self.control(description)
        text = str(value)
        box = control.locator("input")
        if box.count():
            box.first.fill(text)
            box.first.press("Enter")
            return
        readout = control.locator(".widget-readout")
        readout.click()
        readout.press("Control+A")
        readout.type(text)
        readout.press("Enter")

    def enter_text(self, value, nth: int = 0) -> None:
        """Type ``value`` into the ``nth`` text box (labelled or not) and press Enter."""
        box = self.root.locator("input[type=text], input[type=number]").nth(nth)
        box.click()
        box.fill(str(value))
        box.press("Enter")

    def choose(self, option_text: str) -> None:
        """Click the radio button whose label contains ``option_text``."""
        self.root.locator(".widget-radio-box label").filter(has_text=option_text).click()

    def wrong_then_right(self, wrong, wrong_readout, right, right_readout, *,
                         typed: bool = False) -> None:
        """Answer ``wrong`` and wait for ``wrong_readout``, then ``right`` and ``right_readout``.

        A quiz's answer is an option clicked, or with ``typed`` a number typed into its box.
        """
        answer = self.enter_text if typed else self.choose
        answer(wrong)
        self.expect_readout(wrong_readout)
        answer(right)
        self.expect_readout(right_readout)

    def select(self, description: str, label: str) -> None:
        """Choose ``label`` in a dropdown; click it among toggle buttons."""
        control = self.control(description)
        sel = control.locator("select")
        if sel.count():
            sel.select_option(label=label)
        else:
            control.locator("button").filter(has_text=re.compile(
                rf"^\s*{re.escape(label)}\s*$")).click()

    def click(self, text: str) -> None:
        self.button(text).click()

    # -- assertions ---------------------------------------------------------------------
    def expect_readout(self, pattern, timeout_ms: float = 30_000) -> None:
        """Wait until the readout matches ``pattern`` (a compiled regex or exact text).

        The text is the rendered text (``<br>`` is a line break), with runs of
        white space compared as one space.
        """
        expect(self.readout).to_have_text(pattern, timeout=timeout_ms, use_inner_text=True)

    def expect_readout_to(self, check: Callable[[str], None], timeout_ms: float = 30_000) -> None:
        """Wait until ``check(readout HTML)`` passes; it raises ``AssertionError`` until then.

        For readouts checked by what they mean (the numbers shown, the verdict) rather
        than by their exact text.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                check(self.readout_html())
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                self.page.wait_for_timeout(100)

    def expect_new_figure(self, old_src: str, timeout_ms: float = 30_000) -> None:
        """Wait until the figure's ``src`` differs from ``old_src`` and the PNG decoded."""
        expect(self.image).not_to_have_attribute("src", old_src, timeout=timeout_ms)
        self.page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=self.image.element_handle(),
            timeout=timeout_ms)

    def image_size(self) -> dict:
        """Natural and displayed size of the figure, in pixels."""
        return self.image.evaluate(
            "img => ({natural: [img.naturalWidth, img.naturalHeight],"
            " shown: [img.clientWidth, img.clientHeight]})")

    def png_bytes(self) -> bytes:
        """The PNG the browser shows (read back from its blob URL)."""
        b64 = self.image.evaluate("""async img => {
            const buf = await (await fetch(img.src)).arrayBuffer();
            let s = ''; for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
            return btoa(s); }""")
        import base64

        return base64.b64decode(b64)

    def screenshot(self, path) -> None:
        self.root.scroll_into_view_if_needed()
        self.root.screenshot(path=str(path))
