"""Grad mode belongs to a thread (and an asyncio task): no_grad, enable_grad, set_grad_enabled."""

import asyncio
import sys
import threading
import time

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


def test_no_grad_as_decorator_holds_inside_a_generator_each_time_it_resumes():
    @no_grad()
    def products(xs):
        for x in xs:
            yield x * 2, is_grad_enabled()

    results = list(products([Value(1.0), Value(2.0)]))
    assert [(y.data, y.children, mode) for y, mode in results] == [(2.0, (), False), (4.0, (), False)]
    assert is_grad_enabled()


def test_no_grad_generator_leaves_the_callers_mode_alone_between_items():
    @no_grad()
    def numbers():
        yield 1
        yield 2

    seen = []
    for _ in numbers():
        seen.append(is_grad_enabled())
    assert seen == [True, True]


def test_no_grad_as_decorator_holds_inside_an_async_function():
    @no_grad()
    async def double(x):
        await asyncio.sleep(0)
        return x * 2, is_grad_enabled()

    y, mode = asyncio.run(double(Value(3.0)))
    assert (y.data, y.children, mode) == (6.0, (), False)
    assert is_grad_enabled()


def test_set_grad_enabled_called_as_a_function_switches_the_mode_until_switched_back():
    try:
        set_grad_enabled(False)
        assert not is_grad_enabled() and (Value(1.0) * 2).children == ()
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled() and len((Value(1.0) * 2).children) == 2


def test_set_grad_enabled_as_a_decorator_switches_only_while_the_function_runs():
    @set_grad_enabled(False)
    def inside():
        return is_grad_enabled()

    assert is_grad_enabled()
    assert inside() is False
    assert is_grad_enabled()


def test_one_no_grad_object_can_be_entered_again_and_nested_in_itself():
    off = no_grad()
    with off:
        assert not is_grad_enabled()
    assert is_grad_enabled()
    with off:
        with off:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_create_graph_backward_in_one_thread_never_shows_another_thread_a_placeholder_grad():
    # A switch interval of a microsecond makes the threads take turns inside each backward,
    # where the default 5 ms would let all of them finish in one turn: the race is forced.
    w = Value(0.5, "w")
    stop, reading = threading.Event(), threading.Event()
    errors, reads = [], []

    def reader():
        reading.set()
        while not stop.is_set():
            try:
                w.grad + 1.0  # a float or a Value, always a number to add to
            except Exception as error:  # noqa: BLE001 -- any error here is the defect
                errors.append(error)
            reads.append(None)

    interval = sys.getswitchinterval()
    thread = threading.Thread(target=reader)
    sys.setswitchinterval(1e-6)
    try:
        thread.start()
        reading.wait()
        # Backward again and again until the reader has read during backward 300 times: on an idle
        # machine within the first few hundred calls; under load, when the reader gets a core
        # (a hang guard of 300 s, not a time budget).
        during, deadline = [], time.monotonic() + 300
        while sum(during) <= 300 and time.monotonic() < deadline:
            w.grad = 0.0
            before = len(reads)
            (w * w * w).backward(create_graph=True)
            during.append(len(reads) - before)
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)
    assert errors == []
    assert w.grad.data == 3 * 0.5**2
    assert sum(during) > 300, sum(during)  # the reader read while backward ran, many times over


# Async generators, closing, and one manager shared by threads and tasks.


@pytest.mark.parametrize("manager", [no_grad, lambda: set_grad_enabled(False)], ids=["no_grad", "set_grad_enabled"])
def test_a_decorated_async_generator_runs_in_the_mode_each_time_it_resumes_and_leaves_the_caller_alone(manager):
    @manager()
    async def doubles(xs):
        for x in xs:
            await asyncio.sleep(0)
            yield x * 2, is_grad_enabled()

    async def main():
        seen = []
        async for y, mode in doubles([Value(1.0), Value(2.0)]):
            seen.append((y.data, y.children, mode, is_grad_enabled()))
        return seen

    assert asyncio.run(main()) == [(2.0, (), False, True), (4.0, (), False, True)]
    assert is_grad_enabled()


def test_a_decorated_async_generator_takes_what_is_sent_and_thrown_and_closes():
    finished = []

    @no_grad()
    async def echo():
        try:
            while True:
                try:
                    got = yield is_grad_enabled()
                except ValueError as error:
                    got = f"caught {error}"
                yield got
        finally:
            finished.append(is_grad_enabled())

    async def main():
        generator = echo()
        first = await generator.asend(None)
        echoed = await generator.asend("hello")
        await generator.asend(None)
        caught = await generator.athrow(ValueError("boom"))
        await generator.aclose()
        return first, echoed, caught

    assert asyncio.run(main()) == (False, "hello", "caught boom")
    assert finished == [False]  # its finally ran in no_grad too


def test_a_decorated_generator_closed_early_runs_its_finally_in_the_mode():
    finished = []

    @no_grad()
    def numbers():
        try:
            yield 1
            yield 2
        finally:
            finished.append(is_grad_enabled())

    generator = numbers()
    next(generator)
    generator.close()
    assert finished == [False] and is_grad_enabled()


def test_one_no_grad_object_shared_by_two_threads_restores_each_thread_s_own_mode():
    shared = no_grad()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():  # enters, and leaves while the second is still inside
        with shared:
            first_in.set()
            second_in.wait(10)
        seen["first"] = is_grad_enabled()
        first_out.set()

    def second():  # enters under enable_grad's opposite: its own mode was off
        set_grad_enabled(False)
        first_in.wait(10)
        with shared:
            second_in.set()
            first_out.wait(10)
        seen["second"] = is_grad_enabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"first": True, "second": False}


def test_one_scope_object_shared_by_two_asyncio_tasks_restores_each_task_s_own_scope():
    from pathgrad import scope

    shared = scope("shared")

    async def first(first_in, second_in, first_out):  # enters, and leaves while the second is still inside
        with scope("a"):
            with shared:
                first_in.set()
                await second_in.wait()
                inside = (Value(1.0) * 2).scope
            after = (Value(1.0) * 2).scope
        first_out.set()
        return inside, after

    async def second(first_in, second_in, first_out):
        await first_in.wait()
        with scope("b"):
            with shared:
                second_in.set()
                await first_out.wait()
                inside = (Value(1.0) * 2).scope
            return inside, (Value(1.0) * 2).scope

    async def main():
        events = asyncio.Event(), asyncio.Event(), asyncio.Event()
        return await asyncio.gather(first(*events), second(*events))

    assert asyncio.run(main()) == [("a.shared", "a"), ("b.shared", "b")]
