#!/usr/bin/python3
# Fails when a user-visible string has no French translation, or when a file
# with user-visible strings is missing from POTFILES.in (its strings would
# silently never reach translators).
#
# Usage: check-translations.py SOURCE_ROOT

import pathlib
import re
import subprocess
import sys
import tempfile

# The same keywords as meson's i18n "glib" preset, so this extracts what the
# update-po target extracts.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
]

MARKERS = {
    '.c': re.compile(r'\b(?:N?C?_|g_dngettext|g_dpgettext2)\s*\('),
    '.ui': re.compile(r'translatable="yes"'),
    # Desktop entries, metainfo and schema templates; a D-Bus service file
    # also has a Name= line, but it is an identifier, not text.
    '.in': re.compile(r'(?:translatable="yes"|^(?:GenericName|Comment|Keywords)=|<summary>|<description>)',
                      re.MULTILINE),
}


def files_with_strings(root):
    for top in ('src', 'ui', 'data'):
        for path in sorted((root / top).rglob('*')):
            marker = MARKERS.get(path.suffix)
            if marker and path.is_file() and marker.search(path.read_text(encoding='utf-8')):
                yield path.relative_to(root).as_posix()


def main():
    root = pathlib.Path(sys.argv[1])
    po_dir = root / 'po'
    listed = [line.strip() for line in (po_dir / 'POTFILES.in').read_text().splitlines()
              if line.strip() and not line.startswith('#')]
    problems = []

    for name in listed:
        if not (root / name).is_file():
            problems.append(f'POTFILES.in lists {name}, which does not exist')
    for name in files_with_strings(root):
        if name not in listed:
            problems.append(f'{name} has user-visible strings but is not in po/POTFILES.in')

    with tempfile.TemporaryDirectory() as tmp:
        pot = pathlib.Path(tmp) / 'cachet.pot'
        merged = pathlib.Path(tmp) / 'fr.po'
        subprocess.run(['xgettext', *XGETTEXT_ARGS, '--directory', str(root),
                        '--files-from', str(po_dir / 'POTFILES.in'), '--output', str(pot)],
                       check=True)
        subprocess.run(['msgfmt', '--check', '--output-file=/dev/null', str(po_dir / 'fr.po')],
                       check=True)
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--output-file', str(merged),
                        str(po_dir / 'fr.po'), str(pot)], check=True)
        for kind, flag in (('untranslated', '--untranslated'), ('fuzzy', '--only-fuzzy')):
            out = subprocess.run(['msgattrib', flag, '--no-obsolete', '--no-wrap', str(merged)],
                                 check=True, capture_output=True, text=True).stdout
            for quoted in re.findall(r'^msgid ((?:".*"\n)+)', out, re.MULTILINE):
                msgid = ''.join(re.findall(r'"(.*)"', quoted))
                if msgid:
                    problems.append(f'{kind} in po/fr.po: "{msgid}"')

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print('Run: meson compile -C _build cachet-update-po, then translate po/fr.po', file=sys.stderr)
        return 1
    print(f'fr.po is complete for {len(listed)} source files')
    return 0


if __name__ == '__main__':
    sys.exit(main())
