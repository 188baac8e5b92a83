"""Grad mode belongs to a thread (and an asyncio task): no_grad, enable_grad, set_grad_enabled."""

import asyncio
import threading

import pytest

from pathgrad import Value, enable_grad, is_grad_enabled, no_grad, set_grad_enabled


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on_in_both():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    after = {}

    def first():
        with no_grad():
            first_in.set()
            second_in.wait()
        first_out.set()
        after["first"] = is_grad_enabled()

    def second():
        first_in.wait()
        with no_grad():
            second_in.set()
            first_out.wait()  # the first thread leaves its block while this one is inside
        after["second"] = is_grad_enabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert after == {"first": True, "second": True}
    assert is_grad_enabled() and len((Value(1.0) * 2).children) == 2


def test_another_threads_no_grad_does_not_zero_this_threads_grads():
    inside, done = threading.Event(), threading.Event()

    def evaluator():
        with no_grad():
            inside.set()
            done.wait()

    thread = threading.Thread(target=evaluator)
    thread.start()
    inside.wait()
    try:
        grads = []
        for step in range(200):
            w = Value(float(step))
            (w * w * 3).backward()
            grads.append(w.grad)
    finally:
        done.set()
        thread.join()
    assert grads == [6.0 * step for step in range(200)]


def test_each_asyncio_task_has_its_own_mode():
    async def task(mode, started, other_started):
        with set_grad_enabled(mode):
            started.set()
            await other_started.wait()
            return is_grad_enabled()

    async def main():
        a, b = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(task(False, a, b), task(True, b, a))

    assert asyncio.run(main()) == [False, True]


def test_enable_grad_records_inside_no_grad_and_both_restore_after():
    with no_grad():
        with enable_grad():
            assert is_grad_enabled() and (Value(1.0) + 1).children
        assert not is_grad_enabled() and not (Value(1.0) + 1).children
    assert is_grad_enabled()


def test_the_three_modes_work_as_decorators():
    @no_grad()
    def off():
        return is_grad_enabled()

    @set_grad_enabled(False)
    def also_off():
        with enable_grad():
            return is_grad_enabled()

    assert (off(), off(), also_off()) == (False, False, True)
    assert is_grad_enabled()


def test_set_grad_enabled_needs_a_bool():
    with pytest.raises(TypeError, match="set_grad_enabled: got 'no'; mode must be True or False"):
        with set_grad_enabled("no"):
            pass
