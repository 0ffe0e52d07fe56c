"""Start-up cost: what a crawl imports before its first request (issue 14, fixed costs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import default_settings

from newsspider import settings as project_settings
from tests.conftest import run_python

REPO = Path(__file__).resolve().parent.parent


# Scrapy's extensions whose subclass takes their place (one item_scraped receiver: receivers.py)
OURS_IN_PLACE = {
    "scrapy.extensions.corestats.CoreStats": "newsspider.receivers.CoreStats",
    "scrapy.extensions.feedexport.FeedExporter": "newsspider.feeds.FeedExporter",
}


def test_extensions_base_is_scrapys_minus_remote_control() -> None:
    scrapy_base = {
        OURS_IN_PLACE.get(name, name): priority
        for name, priority in default_settings.EXTENSIONS_BASE.items()
    }
    scrapy_base.pop("scrapy.extensions.remote_control.RemoteControl", None)
    assert list(scrapy_base.items()) == list(project_settings.EXTENSIONS_BASE.items())
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
    assert run_python(code, cwd=REPO).strip() == "False"


TELNET_PROGRAM = """
import sys
from scrapy.crawler import Crawler
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor
from newsspider.spiders.frontpage import FrontpageSpider
settings = get_project_settings()
install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])  # as a crawl does
for pair in sys.argv[1:]:
    name, value = pair.split("=", 1)
    settings.set(name, value, priority="cmdline")
crawler = Crawler(FrontpageSpider, settings)
crawler._apply_settings()  # the add-ons, then the extensions, as a crawl builds them
names = [type(ext).__name__ for ext in crawler.extensions.middlewares]
print("twisted.conch" in sys.modules, "TelnetConsole" in names)
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "False False"),  # the default: not even imported (twisted.conch)
        (["TELNETCONSOLE_ENABLED=True"], "True True"),  # a user's setting turns it back on
    ],
)
def test_the_telnet_console_is_left_out_unless_turned_on(args: list[str], expected: str) -> None:
    assert run_python(TELNET_PROGRAM, *args, cwd=REPO).strip() == expected


EXIT_PROGRAM = """
import atexit, sys, threading
sys.argv[0] = "/usr/bin/scrapy"  # as the scrapy command
from newsspider.commands.crawl import exit_without_teardown
atexit.register(lambda: open(sys.argv[1], "w").write("atexit ran"))
print("buffered line", end="")  # not flushed yet
if sys.argv[2] == "thread":
    stop = threading.Event()
    threading.Thread(target=stop.wait).start()  # a non-daemon thread still running
    exit_without_teardown(5)
    print(" + returned", end="")
    stop.set()
else:
    exit_without_teardown(5)
    print(" + not reached")
"""


@pytest.mark.parametrize("case", ["plain", "thread"])
def test_the_crawl_command_exits_after_its_atexit_handlers(tmp_path: Path, case: str) -> None:
    marker = tmp_path / "atexit.txt"
    run = subprocess.run(
        [sys.executable, "-c", EXIT_PROGRAM, str(marker), case],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert marker.read_text() == "atexit ran"  # the handlers ran, in both cases
    if case == "plain":  # ended there, with the command's status, its output flushed
        assert (run.returncode, run.stdout) == (5, "buffered line")
    else:  # another thread still runs: the normal exit (which waits for it) is kept
        assert (run.returncode, run.stdout) == (0, "buffered line + returned")


PRELOAD_PROGRAM = """
import inspect, sys
stack, getmodule = inspect.stack, inspect.getmodule
preload = sys.argv[1] == "preload"
if preload:
    from newsspider.commands.crawl import preload_download_handler
    preload_download_handler()
import scrapy.core.downloader.contextfactory as c, scrapy.core.downloader.tls as t
print(c.ScrapyClientContextFactory.__module__, c.AcceptableProtocolsContextFactory.__module__,
      t.ScrapyClientTLSOptions.__module__, inspect.stack is stack, inspect.getmodule is getmodule)
"""


def test_preloading_the_download_handler_names_its_deprecated_classes_as_scrapy_does() -> None:
    """The preload swaps ``inspect.stack``/``getmodule`` for source-free versions during the
    import only: the deprecated aliases get the module Scrapy's own way gives them, and
    ``inspect`` is left as it was."""
    outputs = [run_python(PRELOAD_PROGRAM, how) for how in ("preload", "plain")]
    assert outputs[0] == outputs[1]
    assert outputs[0].split() == [
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.tls",
        "True",
        "True",
    ]


PLATFORM_PROGRAM = """
import platform, subprocess, sys
from newsspider.commands.crawl import ask_platform_in_background
ask_platform_in_background().join(timeout=60)
def no_child(*args, **kwargs):
    raise AssertionError("a child process on the main thread")
subprocess.Popen = no_child  # platform runs `uname -p` through it
print(platform.platform())
"""


def test_the_crawl_command_asks_the_platform_before_scrapys_versions_line() -> None:
    """Once the background call is done, Scrapy's ``platform.platform()`` (its "Versions"
    line) starts no child process and gets the text a plain call gives."""
    asked = run_python(PLATFORM_PROGRAM, cwd=REPO)
    plain = run_python("import platform; print(platform.platform())")
    assert asked == plain
