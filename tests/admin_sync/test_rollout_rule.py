"""The staged-rollout rule (admin_sync.rollout) and the staged release in a real data folder's
signed targets (admin_sync.rollout_targets, rollout_publish): stage, widen, promote, halt."""

from __future__ import annotations

from pathlib import Path

import pytest

import safe_airports_cli
from admin_sync.datadir import DataDir
from admin_sync.protocol import MANIFEST_TARGET, ReleaseManifest
from admin_sync.publish import PublishError, live_content_version, publish_parts
from admin_sync.rollout import (
    STAGED_MANIFEST,
    Candidate,
    KioskIdentity,
    Rollout,
    RolloutError,
    choose_newest,
    release_custom,
    rollout_of,
)
from admin_sync.rollout_publish import RolloutActionError, halt, promote, rollout_status

TAS_1 = KioskIdentity("tas-00000001", "TAS", None)
TAS_RING0 = KioskIdentity("tas-00000002", "TAS", 0)
TMJ_RING2 = KioskIdentity("tmj-00000003", "TMJ", 2)


@pytest.mark.parametrize(
    ("rollout", "included"),
    [
        (Rollout.to_all(), {TAS_1, TAS_RING0, TMJ_RING2}),
        (Rollout.first_to(kiosks=["tas-00000001"]), {TAS_1}),
        (Rollout.first_to(airports=["tmj"]), {TMJ_RING2}),
        (Rollout.first_to(airports=["TAS"]), {TAS_1, TAS_RING0}),
        (Rollout.first_to(ring=0), {TAS_RING0}),
        (Rollout.first_to(ring=1), {TAS_RING0}),
        (Rollout.first_to(ring=2), {TAS_RING0, TMJ_RING2}),
        (Rollout.first_to(kiosks=["tas-00000001"], ring=0), {TAS_1, TAS_RING0}),
    ],
)
def test_who_a_rollout_includes(rollout: Rollout, included: set[KioskIdentity]) -> None:
    kiosks = {TAS_1, TAS_RING0, TMJ_RING2}
    assert {k for k in kiosks if rollout.includes(k)} == included
    # the signed form reads back to the same audience
    assert rollout_of(release_custom(3, rollout)) == rollout
    # a kiosk that does not say who it is gets only releases to all
    assert rollout.includes(None) is rollout.everyone


def test_newest_release_offered_to_the_kiosk_wins() -> None:
    general = Candidate(4, Rollout.to_all(), "v4 for all")
    staged = Candidate(5, Rollout.first_to(airports=["TMJ"]), "v5 staged to TMJ")
    assert choose_newest([general, staged], TMJ_RING2) == "v5 staged to TMJ"
    assert choose_newest([staged, general], TAS_1) == "v4 for all"  # keeps the general one
    assert choose_newest([staged], TAS_1) is None  # nothing offered: keep what it has
    older_staged = Candidate(3, Rollout.first_to(airports=["TMJ"]), "v3")
    assert choose_newest([general, older_staged], TMJ_RING2) == "v4 for all"


@pytest.mark.parametrize(
    "custom",
    [
        {"rollout": {"kiosks": "tas-1"}},
        {"rollout": {"airports": ["TASHKENT"]}},
        {"rollout": {"ring": -1}},
        {"rollout": {"ring": True}},
        {"rollout": {"rings": 1}},
        {"rollout": ["TAS"]},
        {"rollout": {"kiosks": ["../x"]}},
        {"rollout": {"kiosks": [{"id": 1}]}},
        {"rollout": {"ring": 1.5}},
    ],
)
def test_malformed_rollout_is_an_error(custom: dict[str, object]) -> None:
    with pytest.raises(RolloutError):
        rollout_of(custom)


def test_absent_rollout_is_everyone_and_empty_staging_is_refused() -> None:
    assert rollout_of(None).everyone and rollout_of({"version": 2}).everyone
    with pytest.raises(RolloutError, match="at least one"):
        Rollout.first_to()


def test_widening_never_narrows() -> None:
    a = Rollout.first_to(kiosks=["tas-00000001"], ring=1)
    wider = a.widened(Rollout.first_to(airports=["TMJ"], ring=0))
    assert wider == Rollout(frozenset({"tas-00000001"}), frozenset({"TMJ"}), 1)
    assert a.widened(Rollout.to_all()).everyone


# ---- the staged release in a data folder's signed targets ----------------------------------


def _targets(data: DataDir) -> dict[str, object]:
    return dict(data.repository().targets().signed.targets)


def test_stage_widen_promote_and_halt_in_the_signed_targets(tmp_path: Path) -> None:
    path = tmp_path / "data"
    assert (
        safe_airports_cli.main(
            ["admin", "init-keys", "--data", str(path), "--root-key", str(tmp_path / "root.pem")]
        )
        == 0
    )
    data = DataDir(path)
    publish_parts(data, {"shared.json": b"one"}, title="v1", published_by="t")
    tmj = Rollout.first_to(airports=["TMJ"])
    publish_parts(data, {"shared.json": b"two"}, title="v2", published_by="t", rollout=tmj)

    targets = _targets(data)
    assert {"release.json", "parts/shared.json", STAGED_MANIFEST, "staged/parts/shared.json"} <= (
        targets.keys()
    )
    assert targets[STAGED_MANIFEST].custom == {"version": 2, "rollout": {"airports": ["TMJ"]}}
    status = rollout_status(data)
    assert status.general_version == 1 and status.staged is not None
    assert status.staged.version == 2 and status.staged.rollout == tmj
    # one staged release at a time
    with pytest.raises(PublishError, match="promote it or halt it"):
        publish_parts(data, {"shared.json": b"3"}, title="v3", published_by="t", rollout=tmj)

    # widen: only the custom field changes, the release for everyone stays version 1
    version, wider = promote(data, Rollout.first_to(ring=0), who="ed", via="cli")
    assert version == 2 and wider == Rollout(frozenset(), frozenset({"TMJ"}), 0)
    assert _targets(data)[STAGED_MANIFEST].custom["rollout"] == {"airports": ["TMJ"], "ring": 0}
    assert live_content_version(data) == 1

    # promote to all: the staged bytes become the release for everyone, nothing staged is left
    staged_hash = _targets(data)[STAGED_MANIFEST].hashes
    promote(data, Rollout.to_all(), who="ed", via="cli")
    targets = _targets(data)
    assert not [p for p in targets if p.startswith("staged/")]
    assert targets[MANIFEST_TARGET].hashes == staged_hash and live_content_version(data) == 2
    with pytest.raises(RolloutActionError, match="nothing to promote"):
        promote(data, Rollout.to_all(), who="ed", via="cli")

    # halt: staged v3 withdrawn, the content of v2 republished as v4 for everyone
    publish_parts(data, {"shared.json": b"bad"}, title="v3", published_by="t", rollout=tmj)
    assert halt(data, who="ed", via="cli") == (3, 4)
    targets = _targets(data)
    assert not [p for p in targets if p.startswith("staged/")]
    manifest = data.load_release(4)
    assert isinstance(manifest, ReleaseManifest) and manifest.rollback_of == 2
    assert manifest.parts == data.load_release(2).parts  # type: ignore[union-attr]
    with pytest.raises(RolloutActionError, match="nothing to halt"):
        halt(data, who="ed", via="cli")
    actions = [e.action for e in data.audit_log().entries()]
    assert actions[:3] == ["halt", "rollback", "promote"]


def test_rollout_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "data")
    root = str(tmp_path / "root.pem")
    assert safe_airports_cli.main(["admin", "init-keys", "--data", path, "--root-key", root]) == 0
    data = DataDir(Path(path))
    publish_parts(data, {"shared.json": b"one"}, title="v1", published_by="t")
    publish_parts(
        data, {"shared.json": b"two"}, title="v2", published_by="t", rollout=Rollout(ring=0)
    )

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = safe_airports_cli.main(["admin", "rollout", *args, "--data", path])
        out = capsys.readouterr()
        return code, out.out + out.err

    assert run("status") == (
        0,
        "content version for all kiosks: 1\nstaged: content version 2 to ring 0\n",
    )
    code, said = run("promote")
    assert code == 1 and "promote to whom?" in said
    code, said = run("promote", "--airports", "tmj,FRU")
    assert code == 0 and "offered to airports FRU, TMJ; ring 0" in said
    code, said = run("promote", "--ring", "12")
    assert code == 1 and "ring 12" in said
    assert run("promote", "--all") == (0, "content version 2 is now offered to all kiosks\n")
    assert run("status")[1].endswith("nothing staged\n")
    code, said = run("halt")
    assert code == 1 and "nothing to halt" in said
