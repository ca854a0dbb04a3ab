"""The site's addresses as CloudFront serves them (DirectoryIndexFunction in template.yaml, run with
node) and as the local stack serves them (infra/local/gateway.py site_path): the same file for each,
every organisation's request form /innsyn/<slug>/ is the one built page innsyn/skjema/index.html."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from infra.local.gateway import site_path
from infra.template import load

# address → the object CloudFront asks S3 for (or the redirect it answers with)
CASES = {
    "/innsyn/nordlys-dagligvare-as/": "/innsyn/skjema/index.html",
    "/en/innsyn/nordlys-dagligvare-as/": "/en/innsyn/skjema/index.html",
    "/innsyn/fjellsport-norge-as/": "/innsyn/skjema/index.html",
    "/innsyn/a/": "/innsyn/skjema/index.html",
    "/innsyn/skjema/": "/innsyn/skjema/index.html",
    "/innsyn/sak/": "/innsyn/sak/index.html",  # the requester's own page is a page of its own
    "/en/innsyn/sak/": "/en/innsyn/sak/index.html",
    "/innsyn/": "/innsyn/index.html",
    "/innsyn/Nordlys/": "/innsyn/Nordlys/index.html",  # not a slug: S3's 404
    "/innsyn/-nordlys/": "/innsyn/-nordlys/index.html",
    "/innsyn/nordlys/extra/": "/innsyn/nordlys/extra/index.html",
    "/de/innsyn/nordlys/": "/de/innsyn/nordlys/index.html",
    "/apenhetsloven/": "/apenhetsloven/index.html",
    "/innsyn/nordlys-dagligvare-as": "301 /innsyn/nordlys-dagligvare-as/",
    "/assets/js/public/request.js": "/assets/js/public/request.js",
}


def cloudfront(uris: list[str]) -> list[str]:
    code = load().resources["DirectoryIndexFunction"]["Properties"]["FunctionCode"]
    script = (
        code
        + "\nconst uris = JSON.parse(process.argv[1]);\n"
        + "console.log(JSON.stringify(uris.map((uri) => { const out = handler({request: {uri}});"
        + " return out.statusCode ? `${out.statusCode} ${out.headers.location.value}` : out.uri; })));"
    )
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the CloudFront function is JavaScript")
    done = subprocess.run([node, "-e", script, json.dumps(uris)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def local(uri: str) -> str:
    """What Starlette's StaticFiles (html=True) reads for the rewritten path."""
    if not uri.endswith("/") and "." not in uri.rsplit("/", 1)[-1]:
        return f"301 {uri}/"
    path = site_path(uri)
    return f"{path}index.html" if path.endswith("/") else path


def test_cloudfront_serves_the_one_request_page_for_every_slug():
    assert cloudfront(list(CASES)) == list(CASES.values())


@pytest.mark.parametrize(("uri", "served"), CASES.items())
def test_the_local_stack_serves_what_cloudfront_serves(uri, served):
    assert local(uri) == served


def test_the_local_gateway_hands_the_static_files_the_built_page():
    """infra/local/gateway.py puts SitePaths in front of the static files: they read the built page."""
    from infra.local.gateway import SitePaths

    seen: list[str] = []

    async def static_files(scope, receive, send):
        seen.append(scope["path"])

    site = SitePaths(static_files)
    for path in ("/innsyn/nordlys-dagligvare-as/", "/en/innsyn/nordlys-dagligvare-as/", "/innsyn/sak/"):
        call = site({"type": "http", "path": path, "raw_path": path.encode()}, None, None)
        with pytest.raises(StopIteration):  # nothing to wait for: run the coroutine by hand (no sockets here)
            call.send(None)
    assert seen == ["/innsyn/skjema/", "/en/innsyn/skjema/", "/innsyn/sak/"]
