"""`jiutai-data site`: a static data browser, written into dist/site/.

build.py gathers (validation result, downloads, table payloads, charts) and writes the files;
payload.py turns tables and source texts into the scripts the pages load; downloads.py
lists, checks and copies the files people download; charts.py chooses what the charts show
and draws them with the primitives of svg.py;
render.py fills the Jinja templates in templates/; static/ holds the one stylesheet and
the one script, which sorts, filters, pages and traces rows in the browser.
"""
