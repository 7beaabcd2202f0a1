"""Sphinx configuration of the course website; build it with ``python tools/build_site.py``.

The build reads a staging copy of the notebooks that tools/build_site.py prepares
(tools/site_notebooks.py says how); it never runs them.
"""

project = "gdcourse"

extensions = [
    "myst_nb",                 # notebooks and Markdown pages (it loads myst_parser)
    "sphinx_togglebutton",     # worked solutions collapsed: admonitions with :class: dropdown
    "sphinx-mathjax-offline",  # MathJax copied into the site, no CDN at view time
]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# -- notebooks: stored outputs only ---------------------------------------------------------
nb_execution_mode = "off"
# the notes that replace widget outputs are MyST (a note admonition)
nb_render_markdown_format = "myst"
# an animation output wins over a still of the same figure; myst-nb's default puts PNG first
nb_mime_priority_overrides = [("html", "image/gif", 45)]
# widget outputs are replaced before the build; never add ipywidgets' embedding script
nb_ipywidgets_js = {}

# -- Markdown ----------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "colon_fence"]
# ids on headings down to ###, so that README links such as (#what-the-grader-...) resolve
myst_heading_anchors = 3

# -- HTML --------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "gdcourse: gradient descent"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_copy_source = False       # the notebooks are in the repository; no second copy
html_show_sourcelink = False
html_theme_options = {
    "use_download_button": False,   # it would offer the staging copy, not the notebook
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    # no "By <author>" (Sphinx's default author is "Author name not set") and no copyright
    "footer_content_items": [],
}
# light or dark as the reader's system prefers (without it the theme's script logs an error
# "Got invalid theme mode" on every page and falls back to the same)
html_context = {"default_mode": "auto"}
