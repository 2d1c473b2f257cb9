"""The message catalogue: extract nbtune's messages, keep the Korean one in step, compile it.

Babel reads every ``gettext(...)``, ``ngettext(...)``, ``mark(...)`` and
``_(...)`` call with a literal message in ``nbtune/``.  ``update`` merges them into
``nbtune/language/locale/ko/LC_MESSAGES/nbtune.po`` (a new message arrives
untranslated, a message gone from the code is dropped, and every translation
kept) and compiles it to ``nbtune.mo``, which gettext reads at run time and
the wheel ships.  ``--check`` changes nothing and exits 1 when a message has
no translation, a translation is left over, a translation drops or adds a
``{field}``, or the ``.mo`` file is not the ``.po`` file compiled.

Usage::

    python scripts/messages.py            # update nbtune.po, compile nbtune.mo
    python scripts/messages.py --check    # the tests run this
    python scripts/messages.py --missing  # print the messages still to translate
    python scripts/messages.py --add ko mine.po   # take the translations of a PO file, then update
"""

from __future__ import annotations

import argparse
import datetime
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nbtune"
LOCALE = PACKAGE / "language" / "locale"
KEYWORDS = {"gettext": None, "_": None, "mark": None, "gettext_for_figures": None,
            "ngettext": (1, 2), "ngettext_for_figures": (1, 2)}
FIELD = re.compile(r"\{(\w*)[^{}]*\}")


#: the catalogue's header dates, fixed so that the files change only when a message does
DATE = datetime.datetime(2026, 12, 7, tzinfo=datetime.timezone.utc)


def extracted() -> Catalog:
    """Every message in nbtune's source, as a template."""
    template = Catalog(project="nbtune", domain="nbtune", creation_date=DATE, revision_date=DATE,
                       copyright_holder="the nbtune authors", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, locations=[(f"nbtune/{filename}", lineno)], auto_comments=comments,
                     context=context)
    return template


def po_path(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "nbtune.po"


def read(code: str) -> Catalog:
    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, project="nbtune", domain="nbtune", fuzzy=False)
    with open(path, "rb") as file:
        return read_po(file, locale=code)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def fields(text: str | tuple) -> set[str]:
    texts = text if isinstance(text, (tuple, list)) else (text,)
    return {name for t in texts if t for name in FIELD.findall(t)}


def problems(catalog: Catalog, template: Catalog) -> list[str]:
    """What is wrong with a language's catalogue against the source's messages."""
    found = []
    wanted = {message.id for message in template if message.id}
    have = {message.id for message in catalog if message.id}
    for message in template:
        if not message.id:
            continue
        ours = catalog.get(message.id)
        if ours is None or not ours.string or (isinstance(ours.string, tuple) and not all(ours.string)):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations)
            found.append(f"untranslated: {message.id!r}" + (f" ({where})" if where else ""))
        elif ours.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
        elif fields(ours.string) != fields(message.id):
            found.append(f"fields differ: {message.id!r} -> {ours.string!r}")
    found += [f"not in the code any more: {message_id!r}" for message_id in sorted(have - wanted,
                                                                                      key=str)]
    return found


def add_translations(code: str, path: str) -> None:
    """Copy every translated message of the PO file ``path`` into ``code``'s catalogue."""
    with open(path, "rb") as file:
        extra = read_po(file, locale=code)
    catalog = read(code)
    for message in extra:
        if message.id and message.string:
            if message.id in catalog:  # a corrected translation replaces the one before
                catalog[message.id].string = message.string
            else:
                catalog.add(message.id, message.string)
    po_path(code).parent.mkdir(parents=True, exist_ok=True)
    po_path(code).write_bytes(po_bytes(catalog))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 on a problem")
    parser.add_argument("--missing", action="store_true", help="print the untranslated messages")
    parser.add_argument("--add", nargs=2, metavar=("CODE", "PO_FILE"),
                        help="copy the translations of PO_FILE into language CODE's catalogue first")
    args = parser.parse_args(argv)
    if args.add:
        add_translations(*args.add)
    template = extracted()
    status = 0
    for folder in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
        code = folder.name
        catalog = read(code)
        if not args.check:
            catalog.update(template, no_fuzzy_matching=True)
            catalog.fuzzy, catalog.revision_date = False, DATE
            catalog.last_translator = catalog.language_team = "the nbtune authors"
            po_path(code).write_bytes(po_bytes(catalog))
            catalog = read(code)
            (po_path(code).with_suffix(".mo")).write_bytes(mo_bytes(catalog))
        found = problems(catalog, template)
        mo = po_path(code).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
            found.append(f"{mo.relative_to(ROOT)} is not {po_path(code).name} compiled; "
                         "run python scripts/messages.py")
        if args.missing or args.check:
            for line in found:
                print(f"{code}: {line}", file=sys.stderr if args.check else sys.stdout)
        print(f"{code}: {len(template)} messages, {len(found)} problems", file=sys.stderr)
        status |= bool(found)
    return status if args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
