"""Layout checks shared by the figure tests: what a reader would call clipped."""

from matplotlib.backends.backend_agg import FigureCanvasAgg


def annotations_outside_axes(fig) -> list[str]:
    """Texts drawn in an axes whose box crosses that axes' edge (clipped or on a spine).

    Renders ``fig`` with Agg; empty annotations (bare arrows) are not texts and
    are skipped. Axes drawn without a frame (``axis("off")``) are skipped too.
    """
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    bad = []
    for ax in fig.axes:
        if not ax.axison:
            continue
        box = ax.get_window_extent(renderer)
        for text in (t for t in ax.texts if t.get_text().strip()):
            ext = text.get_window_extent(renderer)
            if ext.x0 < box.x0 or ext.x1 > box.x1 or ext.y0 < box.y0 or ext.y1 > box.y1:
                bad.append(text.get_text())
    return bad


def labels_longer_than_axes(fig) -> list[str]:
    """Axis labels that run past the ends of their axes (into titles or neighbours).

    A y label taller than its axes, or an x label wider than its axes, sticks out
    above and below (left and right of) the frame.
    """
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    bad = []
    for ax in fig.axes:
        if not ax.axison or ax.get_label() == "<colorbar>":
            continue
        box = ax.get_window_extent(renderer)
        for label, span, size in ((ax.xaxis.label, box.width, "width"),
                                  (ax.yaxis.label, box.height, "height")):
            if label.get_text() and getattr(label.get_window_extent(renderer), size) > span:
                bad.append(label.get_text())
    return bad
