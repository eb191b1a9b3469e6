"""Staged rollout across real processes: the server on 127.0.0.1, two agents (Tashkent and
Termez) and the console in headless Chromium.

Staged to the Termez kiosk only, only it installs; promoted in the console, the Tashkent kiosk
installs too; a release staged to Termez's airport from the console's upload form and then halted
sends the Termez kiosk back to the previous content under a new version; a rollout widened in the
metadata without the targets key is refused by TUF. Screenshots go to the test's folder (and to
$CONSOLE_SCREENS_DIR when set).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from tuf.api.metadata import Metadata, MetaFile
from tuf.api.serialization.json import JSONSerializer

from admin_sync.datadir import DataDir
from admin_sync.protocol import ReleaseManifest
from admin_sync.rollout import STAGED_MANIFEST
from tests.admin_sync.console_env import zip_folder
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin
from tests.e2e.console_browser import add_editors, chromium, keep_screens, needs_chromium, sign_in
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.e2e, needs_chromium]
EDITED_ARTICLE = Path("articles/RU/entry-registration/en.md")


def installed(kiosk: KioskDisk) -> ReleaseManifest:
    """The manifest of the release the kiosk installed last (the agent's own record)."""
    return ReleaseManifest.from_bytes((kiosk.state_dir / "installed-release.json").read_bytes())


def sync(kiosk: KioskDisk) -> dict[str, object]:
    result = kiosk.sync_once()
    assert result.returncode == 0, result.stderr[-3000:]
    cycle = kiosk.state()["last_cycle"]
    assert isinstance(cycle, dict)
    return cycle


def widen_without_the_targets_key(data: DataDir, airport: str) -> None:
    """What a compromised server could do: widen the staged rollout in the targets metadata and
    sign snapshot and timestamp with the online keys, but not targets (its key is not used)."""
    repo = data.repository()
    targets = repo.targets()
    info = targets.signed.targets[STAGED_MANIFEST]
    info.unrecognized_fields["custom"]["rollout"].setdefault("airports", []).append(airport)
    targets.signed.version += 1  # the old signature stays: it no longer matches
    tbytes = targets.to_bytes(JSONSerializer(compact=True))
    online = data.online_signers()
    snapshot = repo.snapshot()
    snapshot.signed.version += 1
    snapshot.signed.meta["targets.json"] = MetaFile(
        targets.signed.version, len(tbytes), {"sha256": hashlib.sha256(tbytes).hexdigest()}
    )
    snapshot.signatures.clear()
    snapshot.sign(online["snapshot"])
    sbytes = snapshot.to_bytes(JSONSerializer(compact=True))
    timestamp = repo.timestamp()
    timestamp.signed.version += 1
    timestamp.signed.snapshot_meta = MetaFile(
        snapshot.signed.version, len(sbytes), {"sha256": hashlib.sha256(sbytes).hexdigest()}
    )
    timestamp.signatures.clear()
    timestamp.sign(online["timestamp"])
    data.store().commit_metadata(
        {
            f"{targets.signed.version}.targets.json": tbytes,
            f"{snapshot.signed.version}.snapshot.json": sbytes,
            "timestamp.json": timestamp.to_bytes(JSONSerializer(compact=True)),
        }
    )
    assert Metadata.from_bytes(tbytes).signed.version == targets.signed.version


def test_stage_promote_halt_and_tampered_rollout(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data_path = init_data(tmp_path)
    data = DataDir(data_path)
    add_editors(data_path, "nodira")
    server = ServerProcess(data_path)
    server.start()
    shots = tmp_path / "screens"
    shots.mkdir()
    try:
        admin("publish", str(SAMPLE_DIR), "--data", str(data_path))
        tas = KioskDisk(tmp_path / "tas", data_path, server.url, "TAS-T2-01", airport="TAS")
        tmj = KioskDisk(tmp_path / "tmj", data_path, server.url, "TMJ-01", airport="TMJ")
        assert sync(tas)["installed_version"] == sync(tmj)["installed_version"] == 1

        # 1. staged to the Termez kiosk only (CLI): only it installs version 2
        edited = tmp_path / "edited"
        shutil.copytree(SAMPLE_DIR, edited)
        article = edited / EDITED_ARTICLE
        article.write_text(article.read_text("utf-8") + "\nStaged rollout test.\n", "utf-8")
        admin("publish", str(edited), "--data", str(data_path), "--first-to-kiosks", tmj.kiosk_id)
        cycle = sync(tmj)
        assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 2)
        assert cycle["parts_downloaded"] == 1  # only the changed part, from staged/parts/
        cycle = sync(tas)
        assert (cycle["outcome"], cycle["installed_version"]) == ("up-to-date", 1)
        assert "is staged to kiosk " + tmj.kiosk_id in tas.log_text()

        archive = tmp_path / "sample.zip"
        archive.write_bytes(zip_folder(SAMPLE_DIR))
        with chromium() as browser:
            page = sign_in(browser, server.url, start="/console/fleet")
            # the fleet page: which kiosk runs which release
            expect(page.get_by_role("row", name="TMJ-01")).to_contain_text("staged release")
            expect(page.get_by_role("row", name="TAS-T2-01")).to_contain_text("up to date")
            expect(page.locator("p.summary")).to_contain_text("staged: version 2")
            page.screenshot(path=str(shots / "rollout-fleet-staged.png"), full_page=True)

            # 2. promote to all from the releases page: the Tashkent kiosk installs it
            page.get_by_role("navigation").get_by_role("link", name="Publishing").click()
            page.get_by_role("navigation").get_by_role("link", name="Releases").click()
            staged = page.locator("#staged")
            expect(staged).to_contain_text(f"offered only to kiosk {tmj.kiosk_id}")
            expect(staged).to_contain_text("Every other kiosk keeps version 1")
            page.screenshot(path=str(shots / "rollout-releases-staged.png"), full_page=True)
            page.get_by_role("button", name="Promote version 2 to all kiosks").click()
            expect(page.get_by_role("status")).to_contain_text(
                "Content version 2 is now offered to all kiosks"
            )
            expect(page.locator("#staged")).to_have_count(0)
            cycle = sync(tas)
            assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 2)
            assert sync(tmj)["outcome"] == "up-to-date"

            # 3. upload a release first to Termez's airport, then halt it
            upload = page.locator("form[action='/console/releases/publish']")
            upload.get_by_label("Content archive").set_input_files(str(archive))
            upload.get_by_label("The kiosks of one airport:").check()
            upload.get_by_label("Airport", exact=True).select_option("TMJ")
            page.screenshot(path=str(shots / "rollout-publish-form.png"), full_page=True)
            upload.get_by_role("button", name="Check and publish").click()
            expect(page.get_by_role("status")).to_contain_text(
                "Published content version 3 (Safe Airports sample release), staged first "
                "to airport TMJ"
            )
            assert sync(tmj)["installed_version"] == 3
            assert sync(tas)["installed_version"] == 2
            page.screenshot(path=str(shots / "rollout-releases-v3.png"), full_page=True)
            page.get_by_role("button", name="Halt version 3").click()
            expect(page.get_by_role("status")).to_contain_text(
                "Content version 3 halted. The previous content is republished as version 4"
            )
            page.screenshot(path=str(shots / "rollout-halted.png"), full_page=True)
            page.get_by_role("navigation").get_by_role("link", name="Administration").click()
            page.get_by_role("navigation").get_by_role("link", name="Audit log").click()
            for text in ("promote", "stage", "halt"):
                expect(page.get_by_role("cell", name=text, exact=True).first).to_be_visible()
        # the Termez kiosk goes back to version 2's content, under version 4 (never lower)
        cycle = sync(tmj)
        assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 4)
        v2 = data.load_release(2)
        assert v2 is not None and installed(tmj).parts == v2.parts
        assert installed(tmj).rollback_of == 2
        cycle = sync(tas)
        assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 4)
        assert cycle["parts_downloaded"] == 0  # same content: only the manifest was fetched

        # 4. a rollout widened without the targets key is refused; the kiosk keeps version 4
        admin("publish", str(edited), "--data", str(data_path), "--first-to-kiosks", tmj.kiosk_id)
        widen_without_the_targets_key(data, "TAS")
        refused = tas.sync_once()
        assert refused.returncode == 1
        assert tas.state()["last_cycle"]["outcome"] == "refused"
        assert "not signed by the trusted keys" in refused.stderr
        assert tas.state()["installed_version"] == 4
    finally:
        server.stop()
        keep_screens(shots)
