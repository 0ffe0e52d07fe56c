"""Start-up cost: what a crawl imports before its first request (issue 14, fixed costs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scrapy.settings import default_settings

from newsspider import settings as project_settings

REPO = Path(__file__).resolve().parent.parent


def test_extensions_base_is_scrapys_minus_remote_control() -> None:
    scrapy_base = dict(default_settings.EXTENSIONS_BASE)
    scrapy_base.pop("scrapy.extensions.remote_control.RemoteControl", None)
    assert scrapy_base == project_settings.EXTENSIONS_BASE
    # listed in EXTENSIONS (even as None) it would be imported again to be normalised
    assert not any("remote_control" in key for key in project_settings.EXTENSIONS)


def test_loading_the_extensions_imports_no_aiohttp() -> None:
    # a fresh interpreter: what Scrapy's ExtensionManager loads from the project settings
    code = (
        "import sys\n"
        "from scrapy.settings import Settings\n"
        "from scrapy.utils.misc import load_object\n"
        "settings = Settings()\n"
        "settings.setmodule('newsspider.settings', priority='project')\n"
        "for path in settings.getwithbase('EXTENSIONS').keys():\n"
        "    load_object(path)\n"
        "print('aiohttp' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
