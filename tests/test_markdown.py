"""Teacher Markdown is sanitized: no script, no links to run code, no remote images."""

from __future__ import annotations

import pytest

from quiz_app.markdown import is_same_origin_url, render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "![map](https://tracker.example/pixel.png)",
        "![map](http://tracker.example/pixel.png)",
        "![map](//tracker.example/pixel.png)",
        "![map](data:image/png;base64,AAAA)",
    ],
)
def test_images_from_other_hosts_lose_their_source(source: str) -> None:
    html = str(render_markdown(source))
    assert "<img" in html and "src=" not in html
    assert "tracker.example" not in html


def test_images_on_this_site_are_kept() -> None:
    html = str(render_markdown("![map](/banks/korea/media/map.png)"))
    assert 'src="/banks/korea/media/map.png"' in html


def test_script_links_and_raw_html_never_run() -> None:
    html = str(render_markdown("[x](javascript:alert(1)) <script>x</script> <b>b</b>"))
    assert "href" not in html and "<script" not in html and "<b>" not in html


@pytest.mark.parametrize(
    ("url", "same_origin"),
    [
        ("/banks/b/media/a.png", True),
        ("img/a.png", True),
        ("//evil.example/a.png", False),
        ("/\\evil.example/a.png", False),
        ("/\t/evil.example/a.png", False),
        ("https://evil.example/a.png", False),
        ("", False),
    ],
)
def test_is_same_origin_url(url: str, same_origin: bool) -> None:
    assert is_same_origin_url(url) is same_origin
