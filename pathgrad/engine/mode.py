"""Grad mode, anomaly detection and scopes: the state every new node reads.

Each node records, when it is made, the dotted name of the innermost `scope`
and whether grad mode is on (if it is off, the node is a leaf: no children,
no local grads). That pair lives in one context variable, `context`, so each
thread and each asyncio task has its own, and making a node reads it once.

The managers below work as in PyTorch: as a `with` block, as a decorator
(also on generator, async and async generator functions), and, for
`set_grad_enabled`, as a plain call that switches the mode. One object can be
entered again, nested in itself, and shared by threads and asyncio tasks:
each entry saves the state it found, in the context of the thread or task
that entered, and its exit puts that back.

>>> from pathgrad import Value
>>> with no_grad():
...     y = Value(2.0) * 3
>>> y.children, is_grad_enabled()
((), True)
"""

import contextlib
import contextvars
import functools
import inspect

from .validation import RefusedType

# (dotted name of the innermost scope, whether results record their graph)
context = contextvars.ContextVar("pathgrad_context", default=("", True))
# whether backward checks every grad it makes (detect_anomaly)
anomaly = contextvars.ContextVar("pathgrad_detect_anomaly", default=False)
# {manager: (state before its innermost open entry, the entries before it)}, in
# this thread or task's context, never changed in place: a task copies it.
_entered = contextvars.ContextVar("pathgrad_entered", default={})


def _enter(manager, state):
    """Make state(the current state) current, saving the one it replaces for this entry of `manager`."""
    outer = context.get()
    _save(manager, outer)
    context.set(state(outer))


def _save(manager, outer):
    entered = _entered.get()
    _entered.set({**entered, manager: (outer, entered.get(manager))})


def _exit(manager):
    """Put back the state this context's innermost entry of `manager` found."""
    entered = dict(_entered.get())
    outer, earlier = entered.pop(manager)
    if earlier is not None:
        entered[manager] = earlier
    _entered.set(entered)
    context.set(outer)


def is_grad_enabled():
    """True unless inside `no_grad()` (or after `set_grad_enabled(False)`) in this thread.

    >>> is_grad_enabled()
    True
    """
    return context.get()[1]


def is_anomaly_enabled():
    """True inside `detect_anomaly()`, as torch.is_anomaly_enabled().

    >>> is_anomaly_enabled()
    False
    """
    return anomaly.get()


class _GradMode:
    """Grad mode `mode` inside a `with` block or a decorated function, restored after."""

    mode = True

    def __enter__(self):
        _enter(self, lambda outer: (outer[0], self.mode))

    def __exit__(self, *exception):
        _exit(self)

    def __call__(self, function):
        return _in_mode(function, self.mode)


class no_grad(_GradMode):
    """Inside this block, results record no children: they are leaves, as in torch.no_grad().

    Works as a context manager or a decorator (also of generator, async and
    async generator functions), for the current thread or task only.

    >>> from pathgrad import Value

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.children
    ()
    """

    mode = False


class enable_grad(_GradMode):
    """Record graphs again inside this block, even within no_grad(), as torch.enable_grad().

    >>> from pathgrad import Value

    >>> with no_grad():
    ...     with enable_grad():
    ...         y = Value(2.0) * 3
    >>> len(y.children)
    2
    """

    mode = True


class set_grad_enabled(_GradMode):
    """Switch grad mode to `mode` now; as a `with` block or a decorator, only inside it.

    As torch.set_grad_enabled: called on its own it sets the mode of the
    current thread (and asyncio task) until it is set again; a `with` block
    or a decorated function puts the previous mode back when it ends.

    >>> from pathgrad import Value

    >>> with set_grad_enabled(False):
    ...     y = Value(2.0) * 3
    >>> y.children, is_grad_enabled()
    ((), True)
    >>> _ = set_grad_enabled(False); is_grad_enabled()
    False
    >>> _ = set_grad_enabled(True); is_grad_enabled()
    True
    """

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise RefusedType(f"set_grad_enabled: got {mode!r}; mode must be True or False")
        self.mode = mode
        outer = context.get()
        context.set((outer[0], mode))  # switched already, as a plain call; `with` or @ undoes it at the end
        self._switched_from = outer

    def __enter__(self):
        if self._switched_from is not None:  # `with set_grad_enabled(m):` entering what the call just switched
            _save(self, self._switched_from)
            self._switched_from = None
        else:
            super().__enter__()

    def __call__(self, function):
        if self._switched_from is not None:  # a decorator switches only while the function runs
            context.set(self._switched_from)
            self._switched_from = None
        return super().__call__(function)


@contextlib.contextmanager
def _recording(mode):
    outer = context.get()
    context.set((outer[0], mode))
    try:
        yield
    finally:
        context.set(outer)


def _in_mode(function, mode):
    """`function` running in grad mode `mode`; a generator's mode holds each time it resumes."""
    if inspect.iscoroutinefunction(function):

        async def run_async(*args, **kwargs):
            with _recording(mode):
                return await function(*args, **kwargs)

        return functools.wraps(function)(run_async)
    if inspect.isgeneratorfunction(function):

        def run_generator(*args, **kwargs):
            generator = function(*args, **kwargs)
            resume, sent = generator.send, None
            while True:
                try:
                    with _recording(mode):
                        item = resume(sent)
                except StopIteration as stop:
                    return stop.value
                try:
                    sent, resume = (yield item), generator.send
                except GeneratorExit:
                    with _recording(mode):  # its finally blocks run in the mode too
                        generator.close()
                    raise
                except BaseException as error:  # thrown into us: pass it on to the generator
                    sent, resume = error, generator.throw

        return functools.wraps(function)(run_generator)
    if inspect.isasyncgenfunction(function):

        async def run_async_generator(*args, **kwargs):
            generator = function(*args, **kwargs)
            resume, sent = generator.asend, None
            while True:
                try:
                    with _recording(mode):
                        item = await resume(sent)
                except StopAsyncIteration:
                    return
                try:
                    sent, resume = (yield item), generator.asend
                except GeneratorExit:
                    with _recording(mode):
                        await generator.aclose()
                    raise
                except BaseException as error:
                    sent, resume = error, generator.athrow

        return functools.wraps(function)(run_async_generator)

    def run(*args, **kwargs):
        with _recording(mode):
            return function(*args, **kwargs)

    return functools.wraps(function)(run)


@contextlib.contextmanager
def detect_anomaly():
    """Inside this block, backward raises at the first grad that is not finite.

    Finite values can still make an inf or nan grad (sqrt'(0) = inf times 0,
    1 / 5e-324); the FloatingPointError names the node, its op and inputs.
    As torch.autograd.detect_anomaly, for the current thread.

    >>> from pathgrad import Value

    >>> x = Value(0.0); y = x.sqrt() * 0
    >>> with detect_anomaly():
    ...     y.backward()
    Traceback (most recent call last):
    FloatingPointError: detect_anomaly: backward made grad nan for 0 at the 'sqrt' node sqrt(0) (inputs 0.0; local grad inf, upstream grad 0.0)
    """
    token = anomaly.set(True)
    try:
        yield
    finally:
        anomaly.reset(token)


class scope:
    """Group the nodes made inside this block under `name`; scopes nest with dots.

    Every Value made inside records the dotted name of the innermost scope in
    `node.scope` ("" outside every scope). Drawings can collapse a scope into
    one box. Each thread and asyncio task has its own current scope. One scope
    object can be entered again, and nested in itself. (A class, not a
    generator: nn enters one per neuron, so entering must be cheap.)

    >>> from pathgrad import Value

    >>> with scope("layer"):
    ...     with scope("neuron"):
    ...         y = Value(2.0) * 3
    >>> y.scope
    'layer.neuron'
    """

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = _scope_name("scope", name)

    def __enter__(self):
        name = self.name
        _enter(self, lambda outer: (f"{outer[0]}.{name}" if outer[0] else name, outer[1]))

    def __exit__(self, *exception):
        _exit(self)

    @staticmethod
    def run(name, function, *args):
        """function(*args) inside scope(name), with no context manager to build.

        What nn does for every neuron and layer, so it costs one set and one reset.

        >>> from pathgrad import Value

        >>> scope.run("neuron", lambda x: x * 3, Value(2.0)).scope
        'neuron'
        """
        if type(name) is not str or not name:
            _scope_name("scope.run", name)
        outer = context.get()
        context.set((f"{outer[0]}.{name}" if outer[0] else name, outer[1]))
        try:
            return function(*args)
        finally:
            context.set(outer)


def _scope_name(op, name):
    if not isinstance(name, str) or not name:
        raise RefusedType(f"{op}: got {name!r}; a scope's name must be a non-empty str")
    return name
