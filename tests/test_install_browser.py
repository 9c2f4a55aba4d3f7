"""scripts/install-browser.sh: installs only what is missing, and says what to do where it cannot.

Each case runs the script with PATH limited to a folder of stand-in commands (a fake apt-get that
records its arguments, an `id` that says who we are), so nothing is installed for real."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import REPO

SCRIPT = REPO / "scripts" / "install-browser.sh"


def stand_ins(folder: Path, **commands: str) -> Path:
    folder.mkdir()
    for name in ("bash", "env", "cat", "echo"):
        real = subprocess.run(["bash", "-c", f"command -v {name}"], capture_output=True, text=True).stdout.strip()
        if real.startswith("/"):
            (folder / name).symlink_to(real)
    for name, body in commands.items():
        path = folder / name.replace("_", "-")
        path.write_text(f"#!{os.environ.get('BASH', '/bin/bash')}\n{body}\n")
        path.chmod(0o755)
    return folder


def run(folder: Path, chromium: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/bash", str(SCRIPT)], capture_output=True, text=True,
                          env={"PATH": str(folder), "JIUTAI_CHROMIUM": str(chromium)})


def test_nothing_is_installed_when_chromium_and_a_chinese_font_are_there(tmp_path: Path) -> None:
    log = tmp_path / "apt.log"
    folder = stand_ins(tmp_path / "bin", fc_list='echo "/usr/share/fonts/wqy.ttc: WenQuanYi Zen Hei"',
                       apt_get=f'echo "$@" >> {log}', id="echo 0")
    done = run(folder, Path("/bin/sh"))
    assert done.returncode == 0 and done.stdout == "" and not log.exists()


def test_a_missing_chromium_and_font_are_installed_with_apt_get_as_root(tmp_path: Path) -> None:
    log = tmp_path / "apt.log"
    folder = stand_ins(tmp_path / "bin", fc_list="true", apt_get=f'echo "$@" >> {log}', id="echo 0")
    done = run(folder, tmp_path / "no-chromium-here")
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1] == "install -y -qq --no-install-recommends chromium fonts-wqy-zenhei"


def test_without_root_or_apt_get_it_says_what_to_install_and_lets_the_tests_decide(tmp_path: Path) -> None:
    log = tmp_path / "apt.log"
    not_root = stand_ins(tmp_path / "user", fc_list="true", apt_get=f'echo "$@" >> {log}', id="echo 1000")
    done = run(not_root, tmp_path / "no-chromium-here")
    assert done.returncode == 0 and "need root to run: apt-get install chromium fonts-wqy-zenhei" in done.stderr
    assert not log.exists()
    no_apt = stand_ins(tmp_path / "mac", fc_list="true", id="echo 0")
    done = run(no_apt, tmp_path / "no-chromium-here")
    assert done.returncode == 0 and "no apt-get here" in done.stderr


def test_a_machine_without_fontconfig_gets_the_chinese_font_with_chromium(tmp_path: Path) -> None:
    log = tmp_path / "apt.log"
    folder = stand_ins(tmp_path / "bin", apt_get=f'echo "$@" >> {log}', id="echo 0")
    done = run(folder, tmp_path / "no-chromium-here")
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines()[1] == "install -y -qq --no-install-recommends chromium fonts-wqy-zenhei"
