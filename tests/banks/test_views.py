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


def _bank_with_image(tmp_path):
    import shutil

    folder = tmp_path / "bank"
    (folder / "img").mkdir(parents=True)
    shutil.copy(VALID / "origins.yaml", folder / "origins.yaml")
    shutil.copy(VALID / "img" / "delegates.png", folder / "img" / "delegates.png")
    secret = tmp_path / "secret_key"
    secret.write_text("the app's secret")
    return folder, secret


def test_a_bank_image_swapped_for_a_symlink_is_not_served(runner, client, tmp_path):
    folder, secret = _bank_with_image(tmp_path)
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 0
    image = folder / "img" / "delegates.png"
    image.unlink()
    image.symlink_to(secret)
    response = client.get("/banks/origins/media/img/delegates.png")
    assert response.status_code == 404 and b"secret" not in response.data


def test_banks_validate_refuses_symlinked_images(runner, tmp_path):
    folder, secret = _bank_with_image(tmp_path)
    image = folder / "img" / "delegates.png"
    image.unlink()
    image.symlink_to(secret)
    result = runner.invoke(args=["banks", "validate", str(folder)])
    assert result.exit_code == 1 and "symbolic link" in result.output
    (folder / "img" / "delegates.png").unlink()
    (folder / "img").rmdir()
    (folder / "img").symlink_to(tmp_path)  # a linked folder is refused too
    (tmp_path / "delegates.png").write_bytes(b"\x89PNG")
    result = runner.invoke(args=["banks", "validate", str(folder)])
    assert result.exit_code == 1 and "symbolic link" in result.output
