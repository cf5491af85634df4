#!/usr/bin/python3
# UI smoke test: the application starts on a fresh X server, shows its main
# window, and that window and its main controls can be found by accessible
# name over AT-SPI, as a screen reader would find them. A screenshot is kept
# as a test artefact and must not be blank.
#
# It starts its own peers: a session bus (by re-running itself inside
# dbus-run-session) and Xvfb. Outside CI a missing peer skips the test (exit
# 77); with CI=true it fails.

import os
import shutil
import subprocess
import sys
import time

SKIP = 77
TIMEOUT = 30


def missing_peer(what):
    if os.environ.get('CI') == 'true':
        print(f'FAIL: {what} is required under CI', file=sys.stderr)
        sys.exit(1)
    print(f'SKIP: {what} is not installed', file=sys.stderr)
    sys.exit(SKIP)


def require_peers():
    for program, package in (('dbus-run-session', 'dbus'), ('Xvfb', 'xvfb'),
                             ('import', 'imagemagick'), ('convert', 'imagemagick')):
        if shutil.which(program) is None:
            missing_peer(f'{program} (Debian package {package})')
    try:
        import gi
        gi.require_version('Atspi', '2.0')
    except (ImportError, ValueError):
        missing_peer('the AT-SPI introspection data (Debian packages python3-gi, gir1.2-atspi-2.0)')


def start_xvfb():
    # -displayfd lets Xvfb pick a free display and tell us which, so parallel
    # runs never collide. -br gives a black root window, which trim removes.
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(['Xvfb', '-displayfd', str(write_end), '-screen', '0', '1280x800x24',
                             '-br', '-nolisten', 'tcp'],
                            pass_fds=[write_end], stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = pipe.readline().strip()
    if not display:
        raise RuntimeError('Xvfb did not start')
    os.environ['DISPLAY'] = ':' + display
    return xvfb


def wait_for(what, probe, app):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise AssertionError(f'the application exited with status {app.returncode}')
        found = probe()
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f'timed out waiting for {what}')


def descendants(accessible, depth=0):
    # Bounded: a broken tree must fail the test, not hang it.
    if accessible is None or depth > 40:
        return
    yield accessible
    for i in range(accessible.get_child_count()):
        yield from descendants(accessible.get_child_at_index(i), depth + 1)


def find_application(Atspi, pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def find_by_name(root, Atspi, name, role=None):
    for node in descendants(root):
        if node.get_name() == name and (role is None or node.get_role() == role):
            return node
    return None


def check_screenshot(path):
    subprocess.run(['import', '-window', 'root', path], check=True)
    subprocess.run(['convert', path, '-trim', '+repage', path], check=True)
    info = subprocess.run(['convert', path, '-format', '%w %h %k', 'info:'],
                          check=True, capture_output=True, text=True).stdout.split()
    width, height, colours = (int(v) for v in info)
    print(f'screenshot {path}: {width}x{height}, {colours} colours')
    assert width >= 600 and height >= 400, 'the window is missing from the screenshot'
    assert colours >= 16, 'the screenshot is blank'


def main():
    if 'DBUS_SESSION_BUS_ADDRESS' not in os.environ or os.environ.get('CACHET_TEST_OWN_BUS') != '1':
        require_peers()
        os.environ['CACHET_TEST_OWN_BUS'] = '1'
        os.execvp('dbus-run-session', ['dbus-run-session', '--', sys.executable, *sys.argv])

    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi

    os.environ['GTK_A11Y'] = 'atspi'
    os.environ['GDK_BACKEND'] = 'x11'
    xvfb = start_xvfb()
    app = None
    try:
        app = subprocess.Popen([os.environ['CACHET_APP']])
        Atspi.init()
        accessible_app = wait_for('the application on the accessibility bus',
                                  lambda: find_application(Atspi, app.pid), app)
        window = wait_for('the main window',
                          lambda: find_by_name(accessible_app, Atspi, 'Cachet', Atspi.Role.FRAME), app)
        for name in ('Main Menu', 'Accounts and Folders', 'Message List', 'Add Account', 'Reading Pane'):
            wait_for(f'the control “{name}”', lambda: find_by_name(window, Atspi, name), app)
            print(f'found “{name}”')

        # Let the first frames settle before the screenshot.
        time.sleep(1)
        check_screenshot(os.environ['CACHET_SCREENSHOT'])
    finally:
        if app is not None:
            app.terminate()
            app.wait(timeout=10)
        xvfb.terminate()
        xvfb.wait(timeout=10)
    return 0


if __name__ == '__main__':
    sys.exit(main())
