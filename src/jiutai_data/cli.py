"""Command-line interface: parses arguments, calls the library, prints, sets the exit status.

No logic lives here; each verb is one function of the library.
Exit status everywhere: 0 success/valid, 1 invalid input, 2 could not run; `main` maps every
error of the library (model/errors.py) to a message and its status, in one place.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from jiutai_data.model.errors import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK, JiutaiError
from jiutai_data.model.files import SOURCE_TEXT_MAX_BYTES
from jiutai_data.model.paths import default_package_dir

FORMATS = ["text", "markdown", "json"]
FORMAT_HELP = "how to print the report: text (default), markdown (for a pull request) or json (for tools)"
PACKAGE_DIR_HELP = ("the package's folder, holding datapackage.json (default: the package you stand in, "
                    "else the copy installed with this tool)")

DESCRIPTION = """\
Check, build and publish the data package of Jiutai District (九台区), and add sources to it.

Each command reads the package you stand in (the current folder or its nearest parent holding a
datapackage.json), or the folder you name, and says on its first line which package it read.
Exit status: 0 done (or valid), 1 refused because of the data, 2 could not run."""

EPILOG = """\
Start with `jiutai-data validate`; `jiutai-data COMMAND --help` tells more about a command.
Documentation: `make docs`, then open dist/docs/index.html; the contributor guide is CONTRIBUTING.md."""


def package_version() -> str:
    """The installed distribution's version; the module's own when it runs from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jiutai-data")
    except PackageNotFoundError:  # not installed: the package this module belongs to says it
        return str(getattr(sys.modules.get(__package__ or ""), "__version__", "unknown"))


def _validate(args: argparse.Namespace) -> int:
    from jiutai_data.validate.report import render_report
    from jiutai_data.validate.run import validate_package

    report = validate_package(Path(args.package_dir), base=args.base)
    rendered = render_report(report, args.format)
    try:
        print(rendered)
    except BrokenPipeError:  # e.g. piped into `head`: the reader has seen enough
        sys.stdout = open(os.devnull, "w")
    if report.stats.get("could_not_run"):
        return EXIT_CANNOT_RUN
    return EXIT_OK if report.valid else EXIT_INVALID


def _build(args: argparse.Namespace) -> int:
    from jiutai_data.publish.build import build_package
    from jiutai_data.validate.report import render_report

    result = build_package(Path(args.package_dir))
    if not result.report.valid:
        print(render_report(result.report, args.format), file=sys.stderr)
        print("build: refused: the package is not valid; nothing was written.", file=sys.stderr)
        return EXIT_CANNOT_RUN if result.report.stats.get("could_not_run") else EXIT_INVALID
    for line in result.describe():
        print(line)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from jiutai_data.publish.export import export_package

    for path in export_package(Path(args.package_dir), Path(args.dist)):
        print(f"wrote {path}")
    return EXIT_OK


def _site(args: argparse.Namespace) -> int:
    from jiutai_data.publish.site.build import build_site

    for line in build_site(Path(args.package_dir), Path(args.dist)).describe():
        print(line)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from jiutai_data.publish.serve import DEFAULT_PORT, HOST, serve

    port = args.port if args.port is not None else DEFAULT_PORT
    print(f"serve: Datasette at http://{HOST}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
    serve(Path(args.dist), port)  # ServeError (no export to serve) is a CannotRun: main() says so
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    from jiutai_data.publish.summary import summarise

    print(summarise(Path(args.package_dir)))
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from jiutai_data.publish.run import publish_package
    from jiutai_data.validate.report import render_report

    result = publish_package(Path(args.package_dir), Path(args.dist))
    if not result.ok:
        print(render_report(result.build.report), file=sys.stderr)
        print("publish: refused: the package is not valid; nothing was written.", file=sys.stderr)
        return EXIT_CANNOT_RUN if result.build.report.stats.get("could_not_run") else EXIT_INVALID
    for line in result.build.describe():
        print(line)
    for path in result.exported:
        print(f"export: wrote {path}")
    assert result.site is not None
    for line in result.site.describe():
        print(line)
    print()
    print(result.summary)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from jiutai_data.tools.diff import diff_packages
    from jiutai_data.tools.diff_report import render_diff

    print(render_diff(diff_packages(args.old, args.new, repo=Path(args.repo)), args.format))
    return EXIT_OK


def _add_source(args: argparse.Namespace) -> int:
    from jiutai_data.tools.add_source import add_source

    result = add_source(
        Path(args.package_dir),
        Path(args.file),
        source_id=args.id,
        title_zh=args.title,
        title_en=args.title_en,
        publisher_zh=args.publisher,
        publisher_en=args.publisher_en,
        published=args.published,
        url=args.url,
        author=args.author,
        max_bytes=args.max_bytes,
    )
    for line in result.describe():
        print(line, file=sys.stdout if result.ok else sys.stderr)
    if result.could_not_run:
        return EXIT_CANNOT_RUN
    return EXIT_OK if result.ok else EXIT_INVALID


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of bytes")
    return value


def _draft(args: argparse.Namespace) -> int:
    from jiutai_data.tools.draft import draft_source

    # DraftError (exit 1) and every other JiutaiError are turned into a message by main()
    result = draft_source(Path(args.package_dir), args.source_id, Path(args.out) if args.out else None,
                          force=args.force)
    for line in result.describe():
        print(line)
    return EXIT_OK


def _accept(args: argparse.Namespace) -> int:
    from jiutai_data.tools.accept import accept_drafts

    # AcceptError (exit 2) and OSError are turned into a message by main()
    result = accept_drafts(Path(args.folder), Path(args.package_dir))
    for line in result.describe():
        print(line, file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_INVALID


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jiutai-data", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}",
                        help="show the version of jiutai-data and exit")
    verbs = parser.add_subparsers(dest="verb", required=True, title="commands", metavar="COMMAND")

    def package_verb(name: str, handler, help: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")
        sub.add_argument("package_dir", nargs="?", default=None, metavar="PACKAGE_DIR", help=PACKAGE_DIR_HELP)
        sub.set_defaults(handler=handler)
        return sub

    def other_verb(name: str, handler, help: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")
        sub.set_defaults(handler=handler)
        return sub

    validate = package_verb("validate", _validate,
                            "check the package and report every problem, each with its file, row and column")
    validate.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    validate.add_argument("--base", metavar="REF", default=None,
                          help="also compare with the package at git revision REF (e.g. origin/main): a changed "
                               "source text is an error, changed or removed rows of its sources are warnings")

    build = package_verb("build", _build, "check the package, then write its Parquet files, checksums and the "
                                          "README's tables (nothing is written if it is not valid)")
    build.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP + ", if the package is refused")

    export = package_verb("export", _export, "check the package, then write the downloads: the zip, SQLite, Excel "
                                             "and Stata files, with their checksums")
    export.add_argument("--dist", default="dist", help="folder to write them into (default: dist)")

    site = package_verb("site", _site, "write the data browser, a static website, into DIST/site (run export first)")
    site.add_argument("--dist", default="dist", help="folder holding the downloads; the site goes into its site/ "
                                                     "folder (default: dist)")

    serve = other_verb("serve", _serve, "browse the SQLite download in Datasette at http://127.0.0.1:8001/ "
                                        "(run export first; Ctrl-C stops it)")
    serve.add_argument("--dist", default="dist", help="folder holding the downloads (default: dist)")
    serve.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: 8001)")

    package_verb("summary", _summary, "show the tables with their rows, the files, and whether the package is valid")

    publish = package_verb("publish", _publish, "check the package once, then build, export, write the site and "
                                                "show the summary (what `make` runs)")
    publish.add_argument("--dist", default="dist", help="folder for the downloads and the site (default: dist)")

    diff = other_verb("diff", _diff, "show the rows, schemas and files that changed between two versions of a package")
    diff.add_argument("old", help="the older version: a package folder or a git revision (e.g. origin/main)")
    diff.add_argument("new", help="the newer version: a package folder or a git revision")
    diff.add_argument("--repo", default=".", help="the git repository holding the revisions (default: the current folder)")
    diff.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)

    add = package_verb("add-source", _add_source, "register a new source document: store its text and add its row "
                                                  "to the sources table, then list the numbers still to extract")
    add.add_argument("file", help="the source's text, as a UTF-8 text file")
    add.add_argument("--id", required=True,
                     help="the source's ID: lower-case letters and digits joined by hyphens, by convention its publication "
                          "date and a short name, "
                          "e.g. 2022-12-12-changchun-daily-jiutai-district")
    add.add_argument("--title", required=True, help="the title in Chinese, as published")
    add.add_argument("--title-en", required=True, help="the title in English")
    add.add_argument("--publisher", required=True, help="the publisher in Chinese")
    add.add_argument("--publisher-en", required=True, help="the publisher in English")
    add.add_argument("--published", required=True,
                     help="when it was published, as a date and time with its offset, e.g. 2023-01-05T09:00:00+08:00")
    add.add_argument("--url", default="", help="where the text was published, if online")
    add.add_argument("--author", default="", help="the author, as the source names them")
    add.add_argument("--max-bytes", type=_positive_int, default=SOURCE_TEXT_MAX_BYTES, metavar="N",
                     help=f"refuse a text larger than N bytes, before reading it (default: {SOURCE_TEXT_MAX_BYTES}, 20 MiB)")

    draft = other_verb("draft", _draft, "draft the rows of a registered source from its text, for you to review "
                                        "(into drafts/SOURCE_ID/)")
    draft.add_argument("source_id", metavar="SOURCE_ID", help="the source's ID, as registered with add-source")
    draft.add_argument("package_dir", nargs="?", default=None, metavar="PACKAGE_DIR", help=PACKAGE_DIR_HELP)
    draft.add_argument("--out", default=None, help="folder for the drafts (default: PACKAGE_DIR/drafts)")
    draft.add_argument("--force", action="store_true", help="replace drafts already in the folder")

    accept = other_verb("accept", _accept, "add the reviewed drafts to the tables, all or nothing, if the package "
                                           "stays valid")
    accept.add_argument("folder", help="the folder of reviewed drafts, e.g. drafts/SOURCE_ID")
    accept.add_argument("package_dir", nargs="?", default=None, metavar="PACKAGE_DIR", help=PACKAGE_DIR_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one verb; every error becomes a message and an exit status here, never a traceback."""
    args = build_parser().parse_args(argv)
    if hasattr(args, "package_dir"):
        if args.package_dir is None:
            args.package_dir = str(default_package_dir())
        print(f"{args.verb}: package {Path(args.package_dir).absolute()}", file=sys.stderr)
    try:
        return args.handler(args)
    except JiutaiError as error:
        print(f"{args.verb}: {f'{error.verdict}: ' if error.verdict else ''}{error}", file=sys.stderr)
        return error.exit_status
    except OSError as error:
        print(f"{args.verb}: cannot read or write: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return EXIT_CANNOT_RUN
    except ModuleNotFoundError as error:
        if (error.name or "").startswith("jiutai_data"):
            raise  # a module of this package itself: a bug, not a missing extra
        # A light install (`pip install jiutai-data`) has only what load() needs; the verbs
        # need an extra, and the message names it.
        from jiutai_data.model.extras import MissingExtra, missing_module_message

        message = str(error) if isinstance(error, MissingExtra) else missing_module_message(error.name or str(error))
        print(f"{args.verb}: {message}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except Exception as error:  # a bug, not bad input: say so, without a traceback
        print(f"{args.verb}: internal error: {type(error).__name__}: {error} (please report this)", file=sys.stderr)
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
