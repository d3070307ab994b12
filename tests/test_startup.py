import gc

from desk_app import startup


def test_gc_paused_for_start_up_and_resumed_once() -> None:
    assert gc.isenabled()
    startup.pause_gc()
    try:
        assert not gc.isenabled()
    finally:
        startup.resume_gc()
    assert gc.isenabled()
    gc.unfreeze()


def test_resume_does_nothing_unless_paused() -> None:
    gc.disable()
    try:
        startup.resume_gc()  # someone else disabled it: not ours to turn back on
        assert not gc.isenabled()
    finally:
        gc.enable()
