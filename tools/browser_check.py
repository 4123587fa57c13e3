"""Open a notebook in JupyterLab in headless Chromium, run all its cells with a live kernel, save a screenshot.

    python tools/browser_check.py runs/nb05_browser_check.ipynb docs/screenshots/05.png [--height 1900]

The real-browser check of the lessons: starts JupyterLab on 127.0.0.1 (no token, `expose_app_in_browser` so
the page's `window.jupyterapp` can be driven), starts Debian's `chromium` headless with a DevTools port,
runs `notebook:run-all-cells` through the DevTools protocol (tornado's websocket client: no new
dependency), waits for the kernel to go idle, collapses the code, takes the screenshot and stops both.
The notebook path is relative to the repository root. Prints how many widget views rendered.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


async def drive(devtools_port: int, out: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json"))
            page = next(t for t in tabs if t["type"] == "page")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
    ws = await websocket_connect(page["webSocketDebuggerUrl"], max_message_size=100 * 2**20)
    counter = 0

    async def call(method: str, **params):
        nonlocal counter
        counter += 1
        ws.write_message(json.dumps({"id": counter, "method": method, "params": params}))
        while True:
            msg = json.loads(await ws.read_message())
            if msg.get("id") == counter:
                return msg.get("result", {})

    async def js(expr: str):
        r = await call("Runtime.evaluate", expression=expr, awaitPromise=True, returnByValue=True)
        return r.get("result", {}).get("value")

    kernel = "window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel"
    async def wait_for(expr: str, want: str) -> str:
        value = None
        while time.monotonic() < deadline:
            value = await js(expr)
            if value == want:
                break
            await asyncio.sleep(1)
        return value

    print("kernel:", await wait_for(f"{kernel} ? {kernel}.connectionStatus + '/' + {kernel}.status : 'loading'",
                                    "connected/idle"))
    await js("jupyterapp.shell.mode = 'single-document'; true")
    await js("jupyterapp.commands.execute('notebook:run-all-cells').then(() => true)")
    await asyncio.sleep(3)
    print("after run-all:", await wait_for(f"{kernel}.status", "idle"))
    await asyncio.sleep(3)
    await js("jupyterapp.commands.execute('notebook:hide-all-cell-code').then(() => true)")
    await asyncio.sleep(2)
    shot = await call("Page.captureScreenshot", format="png")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(base64.b64decode(shot["data"]))
    print("widget views rendered:", await js("document.querySelectorAll('.jupyter-widgets').length"),
          "| errors shown:", await js("document.querySelectorAll('.jp-RenderedText[data-mime-type=\"application/vnd.jupyter.stderr\"]').length"))
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebook", help="notebook path relative to the repository root")
    p.add_argument("output", type=Path, help="PNG to write")
    p.add_argument("--width", type=int, default=1400)
    p.add_argument("--height", type=int, default=1900)
    p.add_argument("--port", type=int, default=8899, help="JupyterLab port")
    p.add_argument("--devtools-port", type=int, default=9333)
    p.add_argument("--timeout", type=float, default=300, help="seconds for the notebook to run")
    args = p.parse_args()
    settings = Path(tempfile.mkdtemp(prefix="lab-settings-"))
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}')  # no news pop-up over the page
    lab = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.token=",
                            "--ServerApp.password=", "--ip", "127.0.0.1", "--port", str(args.port), "--allow-root",
                            f"--LabApp.user_settings_dir={settings}",
                            f"--LabApp.workspaces_dir={tempfile.mkdtemp(prefix='lab-ws-')}",
                            "--LabApp.expose_app_in_browser=True"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = None
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/lab")
                break
            except Exception:
                time.sleep(0.5)
        browser = subprocess.Popen(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}",
                                    f"--window-size={args.width},{args.height}",
                                    f"--remote-debugging-port={args.devtools_port}",
                                    f"http://127.0.0.1:{args.port}/lab/tree/{args.notebook}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        asyncio.run(drive(args.devtools_port, args.output, args.timeout))
    finally:
        for proc in (browser, lab):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
