#!/usr/bin/python3
"""Check the Flatpak manifest of Cachet against the project.

Usage: check-manifest.py MANIFEST BUILD_ROOT
       check-manifest.py MANIFEST DEPENDENCIES_JSON

MANIFEST is flatpak/fr.cachet.Cachet.json. The second argument is either a
configured meson build directory (the script then runs
`meson introspect --dependencies BUILD_ROOT`) or a file holding the JSON that
command printed.

Checked:
  - app-id, runtime, runtime-version, sdk and command;
  - finish-args are exactly the allowed set (in particular no
    --filesystem=host or home);
  - every archive or file source has a sha256 and a pinned https URL, and no
    git source follows a branch;
  - every pkg-config dependency that the build uses is either provided by the
    GNOME runtime or built by a module of the manifest.

Exits 0 when all is well, 1 with one line per problem otherwise, 2 on bad
usage or unreadable input.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

APP_ID = 'fr.cachet.Cachet'
RUNTIME = 'org.gnome.Platform'
RUNTIME_VERSION = '47'
SDK = 'org.gnome.Sdk'
COMMAND = 'cachet'
APP_MODULE = 'cachet'

ALLOWED_FINISH_ARGS = {
    '--share=network',              # MSSanté IMAP/SMTP, directory updates
    '--share=ipc',                  # X11 shared memory
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',                 # GPU rendering (GTK 4, WebKitGTK)
    '--socket=pcsc',                # CPS health professional smart cards
    '--talk-name=org.freedesktop.secrets',  # account passwords (libsecret)
}

# finish-args that must never appear, whatever ALLOWED_FINISH_ARGS becomes:
# patient data must not be readable by, nor written to, the rest of the disk.
FORBIDDEN_FINISH_ARGS = re.compile(
    r'^--filesystem=(host|host-os|host-etc|home)(:.*)?$'
    r'|^--filesystem=~/?(:.*)?$'
    r'|^--device=all$'
    r'|^--socket=session-bus$|^--socket=system-bus$'
    r'|^--talk-name=org\.freedesktop\.Flatpak$')

# pkg-config names provided by org.gnome.Platform//47 (GNOME SDK 47, built on
# freedesktop-sdk 24.08). Libraries from the GNOME layer: GLib, GTK 4,
# libadwaita, WebKitGTK 6.0, libsoup 3, json-glib, libsecret. From the
# freedesktop-sdk base: sqlite, libarchive, libxml2, GnuTLS, libtasn1,
# p11-kit, zlib, libidn2. GMime is NOT in the runtime (Geary's manifest builds
# it too). Keep this list to what the runtime really ships: a name added here
# wrongly makes the Flatpak build fail later, at link time, not this test.
RUNTIME_PKGCONFIG = {
    # GLib
    'glib-2.0', 'gobject-2.0', 'gio-2.0', 'gio-unix-2.0', 'gmodule-2.0',
    'gmodule-no-export-2.0', 'gthread-2.0',
    # GTK stack
    'gtk4', 'gtk4-unix-print', 'gtk4-wayland', 'gtk4-x11', 'libadwaita-1',
    'gdk-pixbuf-2.0', 'pango', 'pangocairo', 'cairo', 'cairo-gobject',
    'graphene-gobject-1.0',
    # Web view for HTML mail
    'webkitgtk-6.0', 'javascriptcoregtk-6.0',
    # Network, data formats, secrets
    'libsoup-3.0', 'json-glib-1.0', 'libsecret-1',
    # freedesktop-sdk base
    'sqlite3', 'libarchive', 'libxml-2.0', 'gnutls', 'libtasn1', 'p11-kit-1',
    'zlib', 'libidn2',
}

# pkg-config name -> name of the manifest module that builds it.
MODULE_FOR_PKGCONFIG = {
    'gmime-3.0': 'gmime',
}

# Archive URLs that follow a moving branch instead of a release.
UNPINNED_URL = re.compile(
    r'/refs/heads/'
    r'|/archive/(master|main|trunk|develop)\.(tar|zip)'
    r'|/-/archive/(master|main|trunk|develop)/'
    r'|/(latest|nightly|snapshot)(/|$)'
    r'|/(tarball|zipball)/(master|main)\b',
    re.IGNORECASE)


class Problems:
    def __init__(self):
        self.items = []

    def add(self, message):
        self.items.append(message)


def load_json(path, what):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f'check-manifest: cannot read {what} {path}: {e}')


def iter_modules(modules, manifest_dir, problems, parent=''):
    """Yield every module dict, following nested modules and file includes."""
    for module in modules or []:
        if isinstance(module, str):
            path = os.path.join(manifest_dir, module)
            if not os.path.exists(path):
                problems.add(f'module file {module!r} included by the manifest does not exist')
                continue
            module = load_json(path, 'module file')
            yield from iter_modules([module], os.path.dirname(path), problems, parent)
            continue
        if not isinstance(module, dict):
            problems.add(f'module entry {module!r} is neither an object nor a file name')
            continue
        yield module, manifest_dir
        yield from iter_modules(module.get('modules'), manifest_dir, problems,
                                module.get('name', parent))


def check_header(manifest, problems):
    app_id = manifest.get('app-id', manifest.get('id'))
    expected = {
        'app-id': (app_id, APP_ID),
        'runtime': (manifest.get('runtime'), RUNTIME),
        'runtime-version': (manifest.get('runtime-version'), RUNTIME_VERSION),
        'sdk': (manifest.get('sdk'), SDK),
        'command': (manifest.get('command'), COMMAND),
    }
    for key, (got, want) in expected.items():
        if got != want:
            problems.add(f'{key} is {got!r}, expected {want!r}')


def check_finish_args(manifest, problems):
    args = manifest.get('finish-args', [])
    for arg in args:
        if FORBIDDEN_FINISH_ARGS.match(arg):
            problems.add(f'finish-args: {arg} is forbidden: patient data must stay in the sandbox')
    seen = set()
    for arg in args:
        if arg in seen:
            problems.add(f'finish-args: {arg} is listed twice')
        seen.add(arg)
    for arg in sorted(seen - ALLOWED_FINISH_ARGS):
        if not FORBIDDEN_FINISH_ARGS.match(arg):
            problems.add(f'finish-args: {arg} is not in the allowed set')
    for arg in sorted(ALLOWED_FINISH_ARGS - seen):
        problems.add(f'finish-args: {arg} is missing')


def check_sources(modules, problems):
    for module, _ in modules:
        name = module.get('name', '<unnamed>')
        for source in module.get('sources', []):
            if isinstance(source, str):
                # A JSON file of sources, e.g. generated ones: not inspected.
                continue
            kind = source.get('type')
            where = f'module {name}: {kind} source'
            if kind in ('archive', 'file'):
                url = source.get('url')
                if url is None:
                    if kind == 'archive' and 'path' not in source:
                        problems.add(f'{where} has neither url nor path')
                    continue
                if not source.get('sha256'):
                    problems.add(f'{where} {url} has no sha256')
                elif not re.fullmatch(r'[0-9a-f]{64}', source['sha256']):
                    problems.add(f'{where} {url} has a malformed sha256')
                if not url.startswith('https://'):
                    problems.add(f'{where} {url} is not an https URL')
                if UNPINNED_URL.search(url):
                    problems.add(f'{where} {url} follows a branch, not a release')
            elif kind == 'git':
                url = source.get('url', '?')
                if 'branch' in source:
                    problems.add(f'{where} {url} follows branch {source["branch"]!r}: pin a commit')
                if not source.get('commit'):
                    problems.add(f'{where} {url} has no commit')
            elif kind in ('bzr', 'svn'):
                if not source.get('revision'):
                    problems.add(f'{where} has no revision')


def check_app_module(modules, problems):
    app = [m for m, _ in modules if m.get('name') == APP_MODULE]
    if not app:
        problems.add(f'no module named {APP_MODULE!r} builds the application')
        return
    module = app[0]
    if module.get('buildsystem') != 'meson':
        problems.add(f'module {APP_MODULE}: buildsystem is {module.get("buildsystem")!r}, expected meson')
    if '-Dprofile=default' not in module.get('config-opts', []):
        problems.add(f'module {APP_MODULE}: config-opts lack -Dprofile=default')
    dirs = [s for s in module.get('sources', [])
            if isinstance(s, dict) and s.get('type') == 'dir']
    if not any(s.get('path') == '..' for s in dirs):
        problems.add(f'module {APP_MODULE}: expected a dir source with path ".."')


def introspect_dependencies(build_root):
    """Return the dependency list of a configured meson build directory."""
    candidates = []
    if os.environ.get('MESONINTROSPECT'):
        candidates.append(shlex.split(os.environ['MESONINTROSPECT']))
    meson = shutil.which('meson')
    if meson:
        candidates.append([meson, 'introspect'])
    for command in candidates:
        try:
            out = subprocess.run(command + ['--dependencies', build_root],
                                 check=True, capture_output=True, text=True).stdout
            return json.loads(out)
        except (OSError, subprocess.CalledProcessError, ValueError):
            continue
    # No working meson: read the file that `meson introspect` itself reads.
    return load_json(os.path.join(build_root, 'meson-info', 'intro-dependencies.json'),
                     'meson introspection data')


# Dependencies that meson finds without pkg-config (compiler built-ins and
# libraries found with cc.find_library()): part of every runtime.
NOT_PKGCONFIG = {'threads', 'm', 'dl', 'rt', 'pthread', 'intl', 'iconv', 'libm'}


def is_pkgconfig(dep):
    """Whether meson found this dependency through pkg-config.

    meson >= 1.2 says so in a 'type' field; older ones (Debian 12 has 1.0)
    do not, so then ask pkg-config whether it knows the name.
    """
    if 'type' in dep:
        return dep['type'] in ('pkgconfig', 'PkgConfigDependency')
    name = dep.get('name', '')
    if not name or name in NOT_PKGCONFIG:
        return False
    pkg_config = os.environ.get('PKG_CONFIG') or shutil.which('pkg-config') or shutil.which('pkgconf')
    if not pkg_config:
        return True
    return subprocess.run([pkg_config, '--exists', name]).returncode == 0


def check_dependencies(deps, modules, problems):
    built = {m.get('name') for m, _ in modules}
    pkgconfig = sorted({d['name'] for d in deps if is_pkgconfig(d)})
    if not pkgconfig:
        problems.add('meson introspection lists no pkg-config dependency: '
                     'is the build directory configured?')
    for name in pkgconfig:
        if name in RUNTIME_PKGCONFIG:
            continue
        module = MODULE_FOR_PKGCONFIG.get(name)
        if module is None:
            problems.add(f'pkg-config dependency {name!r} is not provided by {RUNTIME}//{RUNTIME_VERSION} '
                         f'and no manifest module is known to build it: add a module for it and map '
                         f'{name!r} to it in MODULE_FOR_PKGCONFIG of {os.path.basename(__file__)}')
        elif module not in built:
            problems.add(f'pkg-config dependency {name!r} is not provided by {RUNTIME}//{RUNTIME_VERSION}: '
                         f'the manifest lacks the module {module!r} that builds it')
    return pkgconfig


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path, deps_arg = argv[1], argv[2]
    manifest = load_json(manifest_path, 'manifest')
    if os.path.isdir(deps_arg):
        deps = introspect_dependencies(deps_arg)
    else:
        deps = load_json(deps_arg, 'dependency list')
    if not isinstance(deps, list):
        sys.exit(f'check-manifest: {deps_arg}: expected a JSON list of dependencies')

    problems = Problems()
    modules = list(iter_modules(manifest.get('modules'),
                                os.path.dirname(os.path.abspath(manifest_path)),
                                problems))
    check_header(manifest, problems)
    check_finish_args(manifest, problems)
    check_sources(modules, problems)
    check_app_module(modules, problems)
    used = check_dependencies(deps, modules, problems)

    if problems.items:
        for message in problems.items:
            print(f'{manifest_path}: {message}', file=sys.stderr)
        print(f'{len(problems.items)} problem(s) in the Flatpak manifest', file=sys.stderr)
        return 1
    print(f'{manifest_path}: OK ({len(modules)} modules; pkg-config dependencies checked: '
          f'{", ".join(used)})')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
