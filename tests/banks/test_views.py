"""Bank images are served from beside the bank file, and nothing else is."""

from __future__ import annotations

from tests.conftest import DATA_DIR

VALID = DATA_DIR / "banks" / "valid"


def test_bank_image_is_served(runner, client):
    assert runner.invoke(args=["banks", "import", str(VALID)]).exit_code == 0
    with client.get("/banks/origins/media/img/delegates.png") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.data == (VALID / "img" / "delegates.png").read_bytes()


def test_only_images_inside_the_bank_folder(runner, client):
    assert runner.invoke(args=["banks", "import", str(VALID)]).exit_code == 0
    assert client.get("/banks/origins/media/origins.yaml").status_code == 404
    assert (
        client.get("/banks/origins/media/../valid/img/delegates.png").status_code == 404
    )
    assert client.get("/banks/no-such-bank/media/img/delegates.png").status_code == 404


def test_only_images_the_banks_questions_refer_to(runner, client):
    # review.yaml lies in the same folder as origins.yaml but shows no image: the
    # folder's other files are not published through it.
    assert runner.invoke(args=["banks", "import", str(VALID)]).exit_code == 0
    assert client.get("/banks/review/media/img/delegates.png").status_code == 404
    with client.get("/banks/origins/media/img/delegates.png") as response:
        assert response.status_code == 200
