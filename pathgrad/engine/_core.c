/* pathgrad's compiled core: the same Value as value.py, stored in C.

   value.py is the engine learners read and ops.py's TABLE the one place
   where every op's rule, refusals and messages are defined. This file stores
   a node compactly, runs the reverse sweep, and hands every refusal and edge
   case to value.py's own functions, which then build nodes of this type.
   compiled.py's install() puts it in place.

   Not everything is written once. The 12 rows that name a kernel
   (Rule.kernel, bound by walking TABLE in adopt(); see `kernels[]` below)
   have their forward value and local derivatives typed a second time here,
   in C: add, sub, mul, div, power (x ** k, k a number), neg, exp, log, tanh,
   relu, sum and weighted_sum. Every other row (a ** b with b a Value, sqrt,
   sigmoid, the other activations, sin, cos, abs, erf, maximum, minimum, and
   every add_rule row) runs its own Python. tests/engine/test_compiled_core.py
   checks each kernel against its row, bit for bit, from the table itself.

   The garbage collector never scans a plain graph. A graph is acyclic:
   children are older than their parents and never change. A cycle needs a
   reference that is not an edge: a grad that is itself a Value
   (create_graph: x.grad can hold a graph that contains x), an attribute of
   a label of a str subclass, or an attribute of an instance of a class
   derived from Value (its __dict__). So nodes are collector-aware but
   untracked at birth, and the collector tracks:
   - an instance of a class derived from Value, from birth;
   - a node whose grad becomes anything but a number, or whose label becomes
     a str of a derived class, with everything below it;
   - every node such a label holds, through its attributes and the dicts,
     lists, tuples, sets and instances of Python classes they hold, with
     everything below it: searched when the label is set, and again at the
     start of every full collection (gc.callbacks), for a label may be
     given a node later (x.label = name; name.node = y, y = x * 2 made
     before): that cycle waits for a full collection (gc.collect());
   - a node made above a tracked node (track_if_above()).
   Every node of a cycle is then tracked, and the collector frees it, as
   the pure engine's; only a label that reaches a node through some other
   object (a closure, a deque) is not searched through it. A plain graph, with number grads and str labels, is
   never tracked and costs the collector nothing.
   tests/engine/test_core_cycles.py counts nodes over many cycles.

   Layout: one allocation per node, the edges inline (child, local grad):
   a binary op's node is 104 bytes plus the collector's 16-byte header. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

typedef struct Node Node;

typedef struct {
    Node *child;
    double local;  /* d node / d child */
} Edge;

struct Node {
    PyObject_VAR_HEAD     /* ob_size: the number of children */
    double data;
    union {
        double number;
        PyObject *value;  /* any other grad: a Value (create_graph), a placeholder */
    } grad;
    uint64_t mark : 63;   /* the walk that last visited this node; see walk() */
    uint64_t grad_is_value : 1;
    PyObject *rule;       /* the row of ops.py that made it; None for a leaf */
    PyObject *label;
    PyObject *scope;
    Edge edges[];
};

static PyTypeObject *NodeType = NULL;
/* A Value, or an instance of a class derived from it. */
#define IS_NODE(o) (Py_TYPE(o) == NodeType || PyType_IsSubtype(Py_TYPE(o), NodeType))

/* What adopt() receives from value.py. */
static PyObject *pure = NULL;         /* value.py's class: the fallbacks */
static PyObject *context_var = NULL;  /* ContextVar: (scope, grad recording on) */
static PyObject *anomaly_var = NULL;  /* ContextVar: detect_anomaly() is on */
static PyObject *pure_sum = NULL, *pure_weighted_sum = NULL;
static PyObject *checked_result = NULL;  /* ops.checked_result */
static PyObject *refused_type = NULL;    /* validation.RefusedType, as ops.RefusedType */
static PyObject *shown = NULL;           /* validation.shown: a value as a message shows it */

/* Raise RefusedType with `format`, its %U the text of `value` (shown) and
   its %s the name of value's type. */
static void
refuse_type(const char *format, PyObject *value)
{
    PyObject *text = shown ? PyObject_CallOneArg(shown, value) : PyObject_Repr(value);
    if (text)
        PyErr_Format(refused_type ? refused_type : PyExc_TypeError, format, text, Py_TYPE(value)->tp_name);
    Py_XDECREF(text);
}
/* The rows of ops.py the core runs itself: the row naming each kernel
   (Rule.kernel), found by walking ops.TABLE in adopt(). NULL while no row
   names it: then that op runs value.py's method, built from the row. */
static PyObject *rule_add, *rule_sub, *rule_mul, *rule_div, *rule_neg, *rule_exp,
    *rule_log, *rule_tanh, *rule_relu, *rule_sum, *rule_wsum, *rule_power;

/* Every kernel of this file: the name a row gives in its `kernel` field, where
   its row goes, and the method of Value it is (NULL for operator slots and
   module functions, which test for their row themselves). */
static const struct {
    const char *name;
    PyObject **rule;
    const char *method;
} kernels[] = {
    {"add", &rule_add, NULL}, {"sub", &rule_sub, NULL}, {"mul", &rule_mul, NULL},
    {"div", &rule_div, NULL}, {"power", &rule_power, NULL}, {"neg", &rule_neg, "__neg__"},
    {"exp", &rule_exp, "exp"}, {"log", &rule_log, "log"}, {"tanh", &rule_tanh, "tanh"},
    {"relu", &rule_relu, "relu"}, {"sum", &rule_sum, NULL}, {"weighted_sum", &rule_wsum, NULL},
};
#define N_KERNELS (sizeof kernels / sizeof kernels[0])

static PyObject *empty_str, *op_str, *bind_str, *power_rules;
/* Walks are numbered 1, 2, ... in 63 bits (a node's mark); see walk(). */
static uint64_t walks = 0;
#define VISITING ((UINT64_C(1) << 63) - 1)
static Py_ssize_t live_nodes = 0;
/* Whether any node was ever tracked by the collector; see track_if_above(). */
static int tracking_seen = 0;

/* ---- making nodes ---------------------------------------------------- */

/* A node with room for n edges, in the current scope. When grad recording is
   off it is a leaf (no rule, no edges), as value.py's make_node makes it; the
   caller fills the edges only if Py_SIZE(node) == n. */
static Node *
new_node_of(PyTypeObject *type, double data, PyObject *rule, Py_ssize_t n)
{
    PyObject *context;
    if (PyContextVar_Get(context_var, NULL, &context) < 0)
        return NULL;
    if (!PyTuple_Check(context) || PyTuple_GET_SIZE(context) != 2) {
        Py_DECREF(context);
        PyErr_SetString(PyExc_TypeError, "pathgrad's context must be (scope, recording)");
        return NULL;
    }
    if (rule != Py_None && PyTuple_GET_ITEM(context, 1) != Py_True) {
        n = 0;
        rule = Py_None;
    }
    /* A subclass's instance is tracked by the collector: its __dict__ may close a cycle. */
    Node *node = type == NodeType ? PyObject_GC_NewVar(Node, NodeType, n) : (Node *)type->tp_alloc(type, 0);
    if (!node) {
        Py_DECREF(context);
        return NULL;
    }
    live_nodes++;
    if (type != NodeType)
        tracking_seen = 1;
    node->scope = Py_NewRef(PyTuple_GET_ITEM(context, 0));
    Py_DECREF(context);
    node->data = data;
    node->grad.number = 0.0;
    node->grad_is_value = 0;
    node->mark = 0;
    node->rule = Py_NewRef(rule);
    node->label = Py_NewRef(empty_str);
    return node;
}

static Node *
new_node(double data, PyObject *rule, Py_ssize_t n)
{
    return new_node_of(NodeType, data, rule, n);
}

static void
set_edge(Node *node, Py_ssize_t i, Node *child, double local)
{
    Py_INCREF(child);
    node->edges[i].child = child;
    node->edges[i].local = local;
}

/* A node made above a tracked node is tracked: a cycle may run from that
   node's __dict__ or label up to this one and down its edges again. Called
   once every edge is set; free while no node was ever tracked. */
static inline void
track_if_above(Node *node)
{
    if (!tracking_seen)
        return;
    for (Py_ssize_t i = 0; i < Py_SIZE(node); i++)
        if (PyObject_GC_IsTracked((PyObject *)node->edges[i].child)) {
            PyObject_GC_Track(node);
            return;
        }
}

static PyObject *
leaf(double data)
{
    return (PyObject *)new_node(data, Py_None, 0);
}

static PyObject *
unary(PyObject *x, double data, PyObject *rule, double local)
{
    Node *out = new_node(data, rule, 1);
    if (out && Py_SIZE(out)) {
        set_edge(out, 0, (Node *)x, local);
        track_if_above(out);
    }
    return (PyObject *)out;
}

static PyObject *
binary_node(PyObject *a, PyObject *b, double data, PyObject *rule, double da, double db)
{
    Node *out = new_node(data, rule, 2);
    if (out && Py_SIZE(out)) {
        set_edge(out, 0, (Node *)a, da);
        set_edge(out, 1, (Node *)b, db);
        track_if_above(out);
    }
    return (PyObject *)out;
}

/* value.py's method `name` called on (self, *args): the path for anything
   the core does not do itself, and for every refusal. */
static PyObject *
call_pure(const char *name, PyObject *self, PyObject *other)
{
    PyObject *method = PyObject_GetAttrString(pure, name);
    if (!method)
        return NULL;
    PyObject *result = other ? PyObject_CallFunctionObjArgs(method, self, other, NULL)
                             : PyObject_CallOneArg(method, self);
    Py_DECREF(method);
    return result;
}

/* Make the grad the number x. The old grad, if it was an object, is released
   only once the node is whole again: releasing it may run any Python code
   (a __del__), which may set this very grad. */
static void
set_number_grad(Node *self, double x)
{
    PyObject *old = self->grad_is_value ? self->grad.value : NULL;
    self->grad_is_value = 0;
    self->grad.number = x;
    Py_XDECREF(old);
}

/* ---- the collector: track a node and all below it -------------------- */

static int
track_below(Node *start)
{
    if (PyObject_GC_IsTracked((PyObject *)start))
        return 0;
    Py_ssize_t size = 64, top = 0;
    Node **stack = PyMem_Malloc(size * sizeof(Node *));
    if (!stack) {
        PyErr_NoMemory();
        return -1;
    }
    tracking_seen = 1;
    PyObject_GC_Track(start);
    stack[top++] = start;
    while (top) {
        Node *node = stack[--top];
        Py_ssize_t n = Py_SIZE(node);
        for (Py_ssize_t i = 0; i <= n; i++) {
            PyObject *next = i < n ? (PyObject *)node->edges[i].child
                                   : (node->grad_is_value ? node->grad.value : NULL);
            if (!next || !IS_NODE(next) || PyObject_GC_IsTracked(next))
                continue;
            if (top == size) {
                Node **bigger = PyMem_Realloc(stack, 2 * size * sizeof(Node *));
                if (!bigger) {
                    PyMem_Free(stack);
                    PyErr_NoMemory();
                    return -1;
                }
                stack = bigger;
                size *= 2;
            }
            PyObject_GC_Track(next);
            stack[top++] = (Node *)next;
        }
    }
    PyMem_Free(stack);
    return 0;
}

/* What a label of a str subclass holds, through its attributes, dicts, lists,
   tuples, sets and instances of classes defined in Python: each node found
   is tracked with everything below it, so that a cycle from the label to a
   node made above its own node before the label was set is seen too. */
typedef struct {
    PyObject *pending;  /* objects whose references are still to be looked at */
    PyObject *seen;     /* their addresses */
} Held;

static int
hold(PyObject *object, void *arg)
{
    Held *held = arg;
    if (IS_NODE(object)) {
        if (track_below((Node *)object) < 0)
            return -1;
        if (Py_TYPE(object) == NodeType)
            return 0;
        /* a subclass's instance: on through its __dict__, not its edges (tracked above) or rule */
        PyObject *dict = PyObject_GenericGetDict(object, NULL);
        if (!dict) {
            PyErr_Clear();  /* no __dict__ */
            return 0;
        }
        int done = hold(dict, arg);
        Py_DECREF(dict);
        return done;
    }
    if (!PyDict_CheckExact(object) && !PyList_CheckExact(object) && !PyTuple_CheckExact(object) &&
             !PyAnySet_CheckExact(object) &&
             (PyType_Check(object) || !(Py_TYPE(object)->tp_flags & Py_TPFLAGS_HEAPTYPE)))
        return 0;
    PyObject *address = PyLong_FromVoidPtr(object);
    if (!address)
        return -1;
    int known = PySet_Contains(held->seen, address);
    int failed = known < 0 || (!known && (PySet_Add(held->seen, address) < 0 ||
                                          PyList_Append(held->pending, object) < 0));
    Py_DECREF(address);
    return failed ? -1 : 0;
}

static int
track_held(PyObject *label)
{
    Held held = {PyList_New(0), PySet_New(NULL)};
    int done = held.pending && held.seen ? hold(label, &held) : -1;
    while (done == 0 && PyList_GET_SIZE(held.pending)) {
        Py_ssize_t last = PyList_GET_SIZE(held.pending) - 1;
        PyObject *object = Py_NewRef(PyList_GET_ITEM(held.pending, last));
        done = PyList_SetSlice(held.pending, last, last + 1, NULL);
        traverseproc traverse = Py_TYPE(object)->tp_traverse;
        if (done == 0 && traverse && PyObject_IS_GC(object))
            done = traverse(object, hold, &held);
        Py_DECREF(object);
    }
    Py_XDECREF(held.pending);
    Py_XDECREF(held.seen);
    return done < 0 ? -1 : 0;
}

/* Every label of a str subclass ever set, by address, as a weak reference:
   what one holds may change after it was set, so every full collection
   searches them all again (full_collection(), one of gc.callbacks from the
   first such label on). A str subclass without a __dict__ holds nothing. */
static PyObject *labels = NULL;

static PyObject *
full_collection(PyObject *unused, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || PyUnicode_CompareWithASCIIString(args[0], "start") ||
        !PyDict_Check(args[1]))
        Py_RETURN_NONE;
    PyObject *generation = PyDict_GetItemString(args[1], "generation");  /* borrowed */
    if (!generation || !PyLong_Check(generation) || PyLong_AsLong(generation) != 2 || !labels) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    PyObject *items = PyDict_Items(labels);
    for (Py_ssize_t i = 0; items && i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        PyObject *label = PyObject_CallNoArgs(PyTuple_GET_ITEM(item, 1));
        int done = !label ? -1 : label == Py_None ? PyDict_DelItem(labels, PyTuple_GET_ITEM(item, 0))
                                                  : track_held(label);
        Py_XDECREF(label);
        if (done < 0)
            Py_CLEAR(items);
    }
    if (!items)
        return NULL;
    Py_DECREF(items);
    Py_RETURN_NONE;
}

static PyMethodDef full_collection_def = {"_search_labels", (PyCFunction)(void (*)(void))full_collection,
                                          METH_FASTCALL, NULL};

static int
remember_label(PyObject *label)
{
    PyObject *ref = PyWeakref_NewRef(label, NULL);
    if (!ref) {
        if (!PyErr_ExceptionMatches(PyExc_TypeError))
            return -1;
        PyErr_Clear();  /* no __weakref__: no __dict__ either, so it holds nothing */
        return 0;
    }
    if (!labels) {
        PyObject *gc = PyImport_ImportModule("gc"), *callbacks = NULL, *callback = NULL;
        if (gc)
            callbacks = PyObject_GetAttrString(gc, "callbacks");
        if (callbacks)
            callback = PyCFunction_New(&full_collection_def, NULL);
        if (callback && PyList_Check(callbacks) && PyList_Append(callbacks, callback) == 0)
            labels = PyDict_New();
        Py_XDECREF(callback);
        Py_XDECREF(callbacks);
        Py_XDECREF(gc);
        if (!labels) {
            Py_DECREF(ref);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_RuntimeError, "pathgrad's core: gc.callbacks is not a list");
            return -1;
        }
    }
    PyObject *address = PyLong_FromVoidPtr(label);
    int done = address ? PyDict_SetItem(labels, address, ref) : -1;
    Py_XDECREF(address);
    Py_DECREF(ref);
    return done;
}

static int
node_traverse(Node *self, visitproc visit, void *arg)
{
    if (self->grad_is_value)
        Py_VISIT(self->grad.value);
    for (Py_ssize_t i = 0; i < Py_SIZE(self); i++)
        Py_VISIT(self->edges[i].child);
    Py_VISIT(self->label);
    Py_VISIT(self->rule);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

/* Every cycle passes through a grad that is not a number, a label that is not
   a str, or a subclass's __dict__ (which Python's own tp_clear for the
   subclass empties before calling this): clearing those breaks it. */
static int
node_clear(Node *self)
{
    set_number_grad(self, 0.0);
    if (self->label != empty_str) {
        PyObject *label = self->label;
        Py_INCREF(empty_str);
        self->label = empty_str;
        Py_DECREF(label);
    }
    return 0;
}

static void
node_dealloc(Node *self)
{
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, node_dealloc)
    for (Py_ssize_t i = 0; i < Py_SIZE(self); i++)
        Py_DECREF(self->edges[i].child);
    if (self->grad_is_value)
        Py_DECREF(self->grad.value);
    Py_XDECREF(self->rule);
    Py_XDECREF(self->label);
    Py_XDECREF(self->scope);
    live_nodes--;
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_Del(self);
    Py_DECREF(type);
    Py_TRASHCAN_END
}

/* ---- attributes ------------------------------------------------------- */

static PyObject *
get_data(Node *self, void *closure)
{
    return PyFloat_FromDouble(self->data);
}

static int
set_data(Node *self, PyObject *value, void *closure)
{
    if (!value) {
        PyErr_SetString(PyExc_AttributeError, "Value: data cannot be deleted");
        return -1;
    }
    double x;
    if (PyFloat_CheckExact(value) && isfinite(PyFloat_AS_DOUBLE(value)))
        x = PyFloat_AS_DOUBLE(value);
    else {
        /* value.py's Value(x) refuses what data may not be, with its message */
        PyObject *checked = PyObject_CallOneArg(pure, value);
        if (!checked)
            return -1;
        PyObject *number = PyObject_GetAttrString(checked, "data");
        Py_DECREF(checked);
        if (!number)
            return -1;
        x = PyFloat_AsDouble(number);
        Py_DECREF(number);
        if (x == -1.0 && PyErr_Occurred())
            return -1;
    }
    self->data = x;
    return 0;
}

static PyObject *
get_grad(Node *self, void *closure)
{
    if (self->grad_is_value) {
        Py_INCREF(self->grad.value);
        return self->grad.value;
    }
    return PyFloat_FromDouble(self->grad.number);
}


static int
set_grad(Node *self, PyObject *value, void *closure)
{
    if (!value) {
        PyErr_SetString(PyExc_AttributeError, "Value: grad cannot be deleted");
        return -1;
    }
    if (!PyFloat_Check(value) && !PyLong_CheckExact(value)) {
        /* A grad that is a Value may close a cycle through this node. */
        PyObject *old = self->grad_is_value ? self->grad.value : NULL;
        Py_INCREF(value);
        self->grad.value = value;
        self->grad_is_value = 1;
        Py_XDECREF(old);
        if (track_below(self) < 0)
            return -1;
        return IS_NODE(value) ? track_below((Node *)value) : 0;
    }
    double x = PyFloat_AsDouble(value);
    if (x == -1.0 && PyErr_Occurred())
        return -1;
    set_number_grad(self, x);
    return 0;
}

static PyObject *
get_label(Node *self, void *closure)
{
    Py_INCREF(self->label);
    return self->label;
}

static int
set_label(Node *self, PyObject *value, void *closure)
{
    if (!value) {
        PyErr_SetString(PyExc_AttributeError, "Value: label cannot be deleted");
        return -1;
    }
    if (!PyUnicode_Check(value)) {
        refuse_type("Value: got label %U (%s); a label must be a str", value);
        return -1;
    }
    PyObject *old = self->label;
    Py_INCREF(value);
    self->label = value;
    Py_DECREF(old);
    if (PyUnicode_CheckExact(value))
        return 0;
    /* a str subclass may hold a cycle */
    return track_below(self) < 0 || track_held(value) < 0 ? -1 : remember_label(value);
}

static PyObject *
get_op(Node *self, void *closure)
{
    if (self->rule == Py_None)
        return Py_NewRef(empty_str);
    return PyObject_GetAttr(self->rule, op_str);
}

static PyObject *
get_rule(Node *self, void *closure)
{
    return Py_NewRef(self->rule);
}

static PyObject *
get_scope(Node *self, void *closure)
{
    Py_INCREF(self->scope);
    return self->scope;
}

static PyObject *
get_children(Node *self, void *closure)
{
    Py_ssize_t n = Py_SIZE(self);
    PyObject *children = PyTuple_New(n);
    if (!children)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(self->edges[i].child);
        PyTuple_SET_ITEM(children, i, (PyObject *)self->edges[i].child);
    }
    return children;
}

static PyObject *
get_local_grads(Node *self, void *closure)
{
    Py_ssize_t n = Py_SIZE(self);
    PyObject *locals = PyTuple_New(n);
    if (!locals)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyFloat_FromDouble(self->edges[i].local);
        if (!x) {
            Py_DECREF(locals);
            return NULL;
        }
        PyTuple_SET_ITEM(locals, i, x);
    }
    return locals;
}

static PyGetSetDef node_getset[] = {
    {"data", (getter)get_data, (setter)set_data, NULL, NULL},
    {"grad", (getter)get_grad, (setter)set_grad, NULL, NULL},
    {"label", (getter)get_label, (setter)set_label, NULL, NULL},
    {"op", (getter)get_op, NULL, NULL, NULL},
    {"rule", (getter)get_rule, NULL, NULL, NULL},
    {"scope", (getter)get_scope, NULL, NULL, NULL},
    {"children", (getter)get_children, NULL, NULL, NULL},
    {"local_grads", (getter)get_local_grads, NULL, NULL, NULL},
    {NULL},
};

/* ---- construction ----------------------------------------------------- */

/* Value(data, label=""): the number and the label, as value.py's constructor
   takes them (it decides, and says so when it refuses, for anything but a
   finite int or float and a str). The label is a new reference. */
static int
leaf_arguments(PyObject *args, PyObject *kwargs, double *x, PyObject **label)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *data = n ? PyTuple_GET_ITEM(args, 0) : NULL;
    *label = n == 2 ? PyTuple_GET_ITEM(args, 1) : empty_str;
    *x = 0.0;
    if (data && PyFloat_CheckExact(data))
        *x = PyFloat_AS_DOUBLE(data);
    else if (data && PyLong_CheckExact(data)) {
        *x = PyLong_AsDouble(data);
        if (*x == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();  /* only an OverflowError: value.py says the int is too large */
            *x = NAN;
        }
    }
    int plain = data && (PyFloat_CheckExact(data) || PyLong_CheckExact(data));
    if (!kwargs && n >= 1 && n <= 2 && PyUnicode_CheckExact(*label) && plain && isfinite(*x)) {
        Py_INCREF(*label);
        return 0;
    }
    PyObject *checked = PyObject_Call(pure, args, kwargs);
    if (!checked)
        return -1;
    PyObject *number = PyObject_GetAttrString(checked, "data");
    *label = PyObject_GetAttrString(checked, "label");
    Py_DECREF(checked);
    *x = number ? PyFloat_AsDouble(number) : -1.0;
    Py_XDECREF(number);
    if (!*label || PyErr_Occurred()) {
        Py_CLEAR(*label);
        return -1;
    }
    return 0;
}

/* A subclass's instance starts as a leaf of 0.0; its __init__ (this type's
   node_init, called by type() or by super().__init__) sets data and label,
   so a subclass may take other arguments, as on the pure engine. */
static PyObject *
node_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (type != NodeType)
        return (PyObject *)new_node_of(type, 0.0, Py_None, 0);
    double x;
    PyObject *label;
    if (leaf_arguments(args, kwargs, &x, &label) < 0)
        return NULL;
    Node *node = (Node *)leaf(x);
    if (node && label != empty_str && set_label(node, label, NULL) < 0)
        Py_CLEAR(node);
    Py_DECREF(label);
    return (PyObject *)node;
}

static int
node_init(Node *self, PyObject *args, PyObject *kwargs)
{
    if (Py_TYPE(self) == NodeType)
        return 0;  /* node_new did it all */
    double x;
    PyObject *label;
    if (leaf_arguments(args, kwargs, &x, &label) < 0)
        return -1;
    self->data = x;
    int done = set_label(self, label, NULL);
    Py_DECREF(label);
    return done;
}

/* ==== the kernels: the table's rows typed a second time, in C ============

   Every line of maths the core runs itself is in this block: the forward
   value and the local derivatives of each row of ops.py's TABLE that names a
   kernel (Rule.kernel), one kernel per row, each under a comment quoting its
   row's `formula` exactly. tests/engine/test_compiled_core.py checks the
   quotes against the table, and each kernel's bits against its row's Python.
   The callers below decide when a kernel may run (finite operands, a row
   that names it); a kernel gives a result that is not finite to no one, for
   its caller hands that case to value.py, which refuses it. */

/* add: a + b; its row's formula: "1, 1" */
static inline double
add_kernel(double a, double b, double *da, double *db)
{
    *da = 1.0;
    *db = 1.0;
    return a + b;
}

/* sub: a - b; its row's formula: "1, -1" */
static inline double
sub_kernel(double a, double b, double *da, double *db)
{
    *da = 1.0;
    *db = -1.0;
    return a - b;
}

/* mul: a * b; its row's formula: "b, a" */
static inline double
mul_kernel(double a, double b, double *da, double *db)
{
    *da = b;
    *db = a;
    return a * b;
}

/* div: y = a / b (b != 0); its row's formula: "1/b, -a/b²" (as -y/b) */
static inline double
div_kernel(double a, double b, double *da, double *db)
{
    double y = a / b;
    *da = 1.0 / b;
    *db = -y / b;
    return y;
}

/* power: x ** k (x > 0, k a number); its row's formula: "k x^(k-1)" (0 for k = 0).
   0 where the result or x^(k-1) overflows: value.py then refuses it. */
static inline int
power_kernel(double x, double k, double *y, double *dx)
{
    *y = pow(x, k);  /* x > 0 and finite: Python's float ** is the C library's pow */
    if (isinf(*y))
        return 0;
    if (k == 0.0) {
        *dx = 0.0;
        return 1;
    }
    double below = pow(x, k - 1.0);
    if (isinf(below))
        return 0;
    *dx = k * below;
    return 1;
}

/* neg: -x; its row's formula: "-1" */
static inline double
neg_kernel(double x, double *dx)
{
    *dx = -1.0;
    return -x;
}

/* exp: y = e^x; its row's formula: "eˣ" (as y) */
static inline double
exp_kernel(double x, double *dx)
{
    *dx = exp(x);  /* the derivative is the value itself */
    return *dx;
}

/* log: ln x (x > 0); its row's formula: "1/x" */
static inline double
log_kernel(double x, double *dx)
{
    *dx = 1.0 / x;
    return log(x);
}

/* tanh: t = tanh x; its row's formula: "1 - tanh²x" (as 1 - t*t) */
static inline double
tanh_kernel(double x, double *dx)
{
    double t = tanh(x);
    *dx = 1.0 - t * t;
    return t;
}

/* relu: x if x > 0, else 0; its row's formula: "1 for x > 0, else 0 (0 at 0)" */
static inline double
relu_kernel(double x, double *dx)
{
    *dx = x > 0 ? 1.0 : 0.0;
    return x > 0 ? x : 0.0;
}

/* sum: x1 + x2 + ..., left to right; its row's formula: "1 for each" */
static inline double
sum_kernel(PyObject *const *x, Py_ssize_t n)
{
    double total = 0.0;
    for (Py_ssize_t i = 0; i < n; i++)
        total += ((Node *)x[i])->data;
    return total;
}

static inline void
sum_kernel_edges(Node *out, PyObject *const *x, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        set_edge(out, i, (Node *)x[i], 1.0);
}

/* weighted_sum: b + w1 x1 + w2 x2 + ..., left to right, edges w1, x1, w2, x2, ..., b;
   its row's formula: "xᵢ for wᵢ, wᵢ for xᵢ, 1 for b" */
static inline double
weighted_sum_kernel(PyObject *const *w, PyObject *const *x, Py_ssize_t n, double b)
{
    double total = b;
    for (Py_ssize_t i = 0; i < n; i++)
        total += ((Node *)w[i])->data * ((Node *)x[i])->data;
    return total;
}

static inline void
weighted_sum_kernel_edges(Node *out, PyObject *const *w, PyObject *const *x, Py_ssize_t n, Node *b)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        set_edge(out, 2 * i, (Node *)w[i], ((Node *)x[i])->data);
        set_edge(out, 2 * i + 1, (Node *)x[i], ((Node *)w[i])->data);
    }
    set_edge(out, 2 * n, b, 1.0);
}

/* ==== end of the kernels ================================================== */

/* ---- arithmetic: the fast path, else value.py ------------------------- */

/* x's number if x is a Value or a plain int or float; 0 if the core leaves
   it to value.py; -1 on error. */
static int
operand(PyObject *x, double *number)
{
    if (IS_NODE(x)) {
        *number = ((Node *)x)->data;
        return 1;
    }
    if (PyFloat_CheckExact(x)) {
        *number = PyFloat_AS_DOUBLE(x);
        return 1;
    }
    if (PyLong_CheckExact(x)) {
        *number = PyLong_AsDouble(x);
        if (*number == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        return 1;
    }
    return 0;
}

enum { ADD, SUB, MUL, DIV };
static const char *const forward_names[] = {"__add__", "__sub__", "__mul__", "__truediv__"};
static const char *const reflected_names[] = {"__radd__", "__rsub__", "__rmul__", "__rtruediv__"};

static PyObject *
arithmetic(int kind, PyObject *a, PyObject *b)
{
    double x, y;
    if (operand(a, &x) <= 0 || operand(b, &y) <= 0 || !isfinite(x) || !isfinite(y) ||
        (kind == DIV && y == 0.0))
        goto pure_rule;
    double out, da, db;
    PyObject *rule;
    switch (kind) {
    case ADD: out = add_kernel(x, y, &da, &db); rule = rule_add; break;
    case SUB: out = sub_kernel(x, y, &da, &db); rule = rule_sub; break;
    case MUL: out = mul_kernel(x, y, &da, &db); rule = rule_mul; break;
    default: out = div_kernel(x, y, &da, &db); rule = rule_div; break;
    }
    if (!rule || !isfinite(out))
        goto pure_rule;  /* value.py refuses the overflow */
    PyObject *left = a, *right = b, *result = NULL;
    if (!IS_NODE(a) && !(left = leaf(x)))
        return NULL;
    if (!IS_NODE(b) && !(right = leaf(y)))
        goto done;
    result = binary_node(left, right, out, rule, da, db);
done:
    if (left != a)
        Py_DECREF(left);
    if (right && right != b)
        Py_DECREF(right);
    return result;
pure_rule:
    if (PyErr_Occurred())
        return NULL;
    return IS_NODE(a) ? call_pure(forward_names[kind], a, b) : call_pure(reflected_names[kind], b, a);
}

static PyObject *node_add(PyObject *a, PyObject *b) { return arithmetic(ADD, a, b); }
static PyObject *node_sub(PyObject *a, PyObject *b) { return arithmetic(SUB, a, b); }
static PyObject *node_mul(PyObject *a, PyObject *b) { return arithmetic(MUL, a, b); }
static PyObject *node_div(PyObject *a, PyObject *b) { return arithmetic(DIV, a, b); }

/* A one-operand node, unless its result is not finite: value.py refuses that. */
static PyObject *
unary_or_refuse(Node *x, const char *name, double data, PyObject *rule, double local)
{
    if (!rule || !isfinite(data))
        return call_pure(name, (PyObject *)x, NULL);
    return unary((PyObject *)x, data, rule, local);
}

static PyObject *
node_neg(Node *self)
{
    double dx, y = neg_kernel(self->data, &dx);
    return unary_or_refuse(self, "__neg__", y, rule_neg, dx);
}

/* ops.POWER bound to exponent k (its op is "**k"), asked of ops.py once per k. */
static PyObject *
power_rule(PyObject *exponent)
{
    PyObject *rule = PyDict_GetItemWithError(power_rules, exponent);
    if (rule || PyErr_Occurred())
        return Py_XNewRef(rule);
    rule = PyObject_CallMethodOneArg(rule_power, bind_str, exponent);
    if (rule && PyDict_GET_SIZE(power_rules) < 1024 && PyDict_SetItem(power_rules, exponent, rule) < 0)
        Py_CLEAR(rule);
    return rule;
}

static PyObject *
node_pow(PyObject *a, PyObject *b, PyObject *mod)
{
    if (mod != Py_None)  /* pow(x, k, m): no modulus for reals; Python then refuses it, as value.py does */
        return Py_NewRef(Py_NotImplemented);
    if (!IS_NODE(a))
        return call_pure("__rpow__", b, a);
    double x = ((Node *)a)->data, k;
    if (!rule_power || IS_NODE(b) || operand(b, &k) <= 0 || !(x > 0.0) || !isfinite(x) || !isfinite(k))
        goto pure_rule;
    double out, slope;
    if (!power_kernel(x, k, &out, &slope))
        goto pure_rule;  /* value.py refuses the overflow */
    PyObject *rule = power_rule(b);
    if (!rule)
        return NULL;
    PyObject *result = unary(a, out, rule, slope);
    Py_DECREF(rule);
    return result;
pure_rule:
    if (PyErr_Occurred())
        return NULL;
    return call_pure("__pow__", a, b);
}

static PyObject *
node_exp(Node *self, PyObject *unused)
{
    double dx, y = exp_kernel(self->data, &dx);
    return unary_or_refuse(self, "exp", y, rule_exp, dx);
}

static PyObject *
node_log(Node *self, PyObject *unused)
{
    double x = self->data;
    if (!(x > 0.0))
        return call_pure("log", (PyObject *)self, NULL);  /* the domain refusal */
    double dx, y = log_kernel(x, &dx);
    return unary_or_refuse(self, "log", y, rule_log, dx);
}

static PyObject *
node_tanh(Node *self, PyObject *unused)
{
    double dx, t = tanh_kernel(self->data, &dx);
    return unary_or_refuse(self, "tanh", t, rule_tanh, dx);
}

static PyObject *
node_relu(Node *self, PyObject *unused)
{
    double dx, y = relu_kernel(self->data, &dx);
    return unary_or_refuse(self, "relu", y, rule_relu, dx);
}

static PyObject *
node_abs(PyObject *self)
{
    return call_pure("abs", self, NULL);
}

static PyObject *
node_repr(PyObject *self)
{
    return call_pure("__repr__", self, NULL);
}

static PyObject *
node_richcompare(PyObject *self, PyObject *other, int op)
{
    static const char *const names[] = {"__lt__", "__le__", NULL, NULL, "__gt__", "__ge__"};
    if (op == Py_EQ || op == Py_NE)
        Py_RETURN_NOTIMPLEMENTED;  /* identity, as in value.py */
    return call_pure(names[op], self, other);
}

static Py_hash_t
node_hash(PyObject *self)
{
#if PY_VERSION_HEX >= 0x030D0000
    return Py_HashPointer(self);
#else
    return _Py_HashPointer(self);
#endif
}

/* ---- walking the graph ------------------------------------------------ */

typedef struct {
    Node *node;
    Py_ssize_t next;  /* the next child to look at */
} Frame;

typedef struct {
    Node **items;
    Py_ssize_t size, capacity;
} NodeList;

static int
push_node(NodeList *list, Node *node)
{
    if (list->size == list->capacity) {
        Py_ssize_t capacity = list->capacity ? 2 * list->capacity : 256;
        Node **items = PyMem_Realloc(list->items, capacity * sizeof(Node *));
        if (!items) {
            PyErr_NoMemory();
            return -1;
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->size++] = node;
    return 0;
}

/* graph.py's topological order, step for step: depth first, operands in
   order, a leaf placed when first seen, a node once its children are.
   `order` receives every node (with_leaves) or the interior ones only.
   Returns 1 if some node's grad is a Value, 0 if none, -1 on error.

   A node is visited in this walk if its mark is this walk's number. Walks
   are numbered in 63 bits, so marks of old walks never repeat: 2^63 - 2 walks
   take centuries. Should the count reach its end, every later walk marks
   with VISITING, which no earlier walk used, and sets each mark it made back
   to 0 before returning; a stale mark can never pass for a visit. */
static int
walk(Node *root, NodeList *order, int with_leaves)
{
    int value_grads = root->grad_is_value;
    uint64_t stamp = walks < VISITING ? ++walks : VISITING;
    if (!Py_SIZE(root))
        return with_leaves && push_node(order, root) < 0 ? -1 : value_grads;
    Frame *stack = PyMem_Malloc(256 * sizeof(Frame));
    Py_ssize_t top = 0, capacity = 256;
    if (!stack) {
        PyErr_NoMemory();
        return -1;
    }
    /* A node is marked only once it is on the stack or in `order`, where the
       unmarking below finds it. */
    stack[top++] = (Frame){root, 0};
    root->mark = stamp;
    while (top) {
        Frame *frame = &stack[top - 1];
        Node *node = frame->node;
        Node *next = NULL;
        while (frame->next < Py_SIZE(node)) {
            Node *child = node->edges[frame->next++].child;
            value_grads |= child->grad_is_value;
            if (!Py_SIZE(child) && !with_leaves)
                continue;  /* leaves take no place among the interior nodes */
            if (child->mark == stamp)
                continue;
            if (Py_SIZE(child)) {
                next = child;
                break;
            }
            if (push_node(order, child) < 0)
                goto fail;
            child->mark = stamp;
        }
        if (!next) {
            if (push_node(order, node) < 0)
                goto fail;
            top--;
            continue;
        }
        if (top == capacity) {
            Frame *bigger = PyMem_Realloc(stack, 2 * capacity * sizeof(Frame));
            if (!bigger) {
                PyErr_NoMemory();
                goto fail;
            }
            stack = bigger;
            capacity *= 2;
        }
        stack[top++] = (Frame){next, 0};
        next->mark = stamp;
    }
    goto done;
fail:
    value_grads = -1;
done:
    if (stamp == VISITING) {
        for (Py_ssize_t i = 0; i < order->size; i++)
            order->items[i]->mark = 0;
        for (Py_ssize_t i = 0; i < top; i++)
            stack[i].node->mark = 0;
    }
    PyMem_Free(stack);
    return value_grads;
}

static PyObject *
node_backward(Node *self, PyObject *args, PyObject *kwargs)
{
    NodeList interior = {NULL, 0, 0};
    PyObject *anomaly;
    if (PyContextVar_Get(anomaly_var, Py_False, &anomaly) < 0)
        return NULL;
    int value_grads = anomaly != Py_False;
    Py_DECREF(anomaly);
    if (value_grads || (args && PyTuple_GET_SIZE(args)) || (kwargs && PyDict_GET_SIZE(kwargs)) ||
        (value_grads = walk(self, &interior, 0)) != 0) {
        /* create_graph, detect_anomaly and grads that are not numbers are value.py's. */
        PyMem_Free(interior.items);
        if (value_grads < 0)
            return NULL;
        PyObject *method = PyObject_GetAttrString(pure, "backward");
        if (!method)
            return NULL;
        PyObject *all = PyTuple_New(1 + (args ? PyTuple_GET_SIZE(args) : 0));
        if (!all) {
            Py_DECREF(method);
            return NULL;
        }
        Py_INCREF(self);
        PyTuple_SET_ITEM(all, 0, (PyObject *)self);
        for (Py_ssize_t i = 0; args && i < PyTuple_GET_SIZE(args); i++) {
            Py_INCREF(PyTuple_GET_ITEM(args, i));
            PyTuple_SET_ITEM(all, i + 1, PyTuple_GET_ITEM(args, i));
        }
        PyObject *result = PyObject_Call(method, all, kwargs);
        Py_DECREF(all);
        Py_DECREF(method);
        return result;
    }
    /* value.py's backward: zero the interior, seed the root, then one pass
       from the root down, child.grad += local * upstream on every edge. */
    for (Py_ssize_t i = 0; i < interior.size - 1; i++)
        interior.items[i]->grad.number = 0.0;
    if (Py_SIZE(self))
        self->grad.number = 1.0;
    else
        self->grad.number += 1.0;
    for (Py_ssize_t i = interior.size - 1; i >= 0; i--) {
        Node *node = interior.items[i];
        double upstream = node->grad.number;
        for (Py_ssize_t j = 0; j < Py_SIZE(node); j++)
            node->edges[j].child->grad.number += node->edges[j].local * upstream;
    }
    PyMem_Free(interior.items);
    Py_RETURN_NONE;
}

static PyObject *
node_zero_grad(Node *self, PyObject *unused)
{
    NodeList all = {NULL, 0, 0};
    if (walk(self, &all, 1) < 0) {
        PyMem_Free(all.items);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < all.size; i++)
        set_number_grad(all.items[i], 0.0);
    PyMem_Free(all.items);
    Py_RETURN_NONE;
}

static PyObject *
topological_order(PyObject *module, PyObject *root)
{
    if (!IS_NODE(root)) {
        PyErr_Format(PyExc_TypeError, "topological_order: got %.100s; expected a Value",
                     Py_TYPE(root)->tp_name);
        return NULL;
    }
    NodeList all = {NULL, 0, 0};
    if (walk((Node *)root, &all, 1) < 0) {
        PyMem_Free(all.items);
        return NULL;
    }
    PyObject *order = PyList_New(all.size);
    for (Py_ssize_t i = 0; order && i < all.size; i++) {
        Py_INCREF(all.items[i]);
        PyList_SET_ITEM(order, i, (PyObject *)all.items[i]);
    }
    PyMem_Free(all.items);
    return order;
}

/* ---- sums: one node for many operands --------------------------------- */

static int
all_nodes(PyObject *items)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    PyObject **item = PySequence_Fast_ITEMS(items);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!IS_NODE(item[i]))
            return 0;
    return 1;
}

/* Whether iterating x can be tried: if not, value.py refuses it. Anything
   raised while iterating (inside a generator, a KeyboardInterrupt) is the
   caller's to see, never cleared. */
static int
iterable(PyObject *x)
{
    return Py_TYPE(x)->tp_iter != NULL || PySequence_Check(x);
}

static PyObject *
value_sum(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (!rule_sum || nargs != 1 || kwnames || !iterable(args[0]))
        return PyObject_Vectorcall(pure_sum, args, nargs, kwnames);
    PyObject *items = PySequence_Fast(args[0], "");
    if (!items)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    PyObject **item = PySequence_Fast_ITEMS(items);
    double total = all_nodes(items) ? sum_kernel(item, n) : 0.0;
    if (!all_nodes(items) || !isfinite(total)) {
        PyObject *result = PyObject_Vectorcall(pure_sum, &items, 1, NULL);
        Py_DECREF(items);
        return result;
    }
    Node *out = new_node(total, rule_sum, n);
    if (out && Py_SIZE(out)) {
        sum_kernel_edges(out, item, n);
        track_if_above(out);
    }
    Py_DECREF(items);
    return (PyObject *)out;
}

static PyObject *
value_weighted_sum(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (!rule_wsum || kwnames || nargs < 2 || nargs > 3)
        return PyObject_Vectorcall(pure_weighted_sum, args, nargs, kwnames);
    if (!iterable(args[0]) || !iterable(args[1]))
        return PyObject_Vectorcall(pure_weighted_sum, args, nargs, NULL);
    PyObject *weights = PySequence_Fast(args[0], ""), *inputs = NULL, *result = NULL;
    if (weights)
        inputs = PySequence_Fast(args[1], "");
    if (!inputs) {
        Py_XDECREF(weights);
        return NULL;
    }
    PyObject *bias = nargs == 3 ? args[2] : NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(weights);
    PyObject **w = PySequence_Fast_ITEMS(weights), **x = PySequence_Fast_ITEMS(inputs);
    double total = 0.0;
    int fast = n == PySequence_Fast_GET_SIZE(inputs) && all_nodes(weights) &&
               all_nodes(inputs) && (!bias || IS_NODE(bias) || PyFloat_CheckExact(bias));
    if (fast)
        total = weighted_sum_kernel(w, x, n, !bias ? 0.0 : IS_NODE(bias) ? ((Node *)bias)->data : PyFloat_AS_DOUBLE(bias));
    if (!fast || !isfinite(total)) {
        /* value.py lifts numbers, refuses mismatched lengths and overflows */
        PyObject *lists[3] = {weights, inputs, bias};
        result = PyObject_Vectorcall(pure_weighted_sum, lists, nargs, NULL);
        goto done;
    }
    PyObject *b = bias && IS_NODE(bias) ? Py_NewRef(bias)
                                        : leaf(bias ? PyFloat_AS_DOUBLE(bias) : 0.0);
    if (!b)
        goto done;
    Node *out = new_node(total, rule_wsum, 2 * n + 1);
    if (out && Py_SIZE(out)) {
        weighted_sum_kernel_edges(out, w, x, n, (Node *)b);
        track_if_above(out);
    }
    Py_DECREF(b);
    result = (PyObject *)out;
done:
    Py_DECREF(weights);
    Py_DECREF(inputs);
    return result;
}

/* ---- value.py's _node, compiled: every operation of value.py ends here ---- */

static int
list_or_tuple(PyObject *x)
{
    return PyList_CheckExact(x) || PyTuple_CheckExact(x);
}

/* A float result, and one float local grad per child that is a node: what
   every row of ops.py gives, so the core needs no checks. */
static int
plain_parts(PyObject *data, PyObject *children, PyObject *locals)
{
    if (!PyFloat_CheckExact(data) || !isfinite(PyFloat_AS_DOUBLE(data)) || !list_or_tuple(children) ||
        !PyTuple_CheckExact(locals) || PySequence_Fast_GET_SIZE(children) != PyTuple_GET_SIZE(locals))
        return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(locals); i++)
        if (!PyFloat_CheckExact(PyTuple_GET_ITEM(locals, i)))
            return 0;
    return all_nodes(children);
}

static PyObject *
value_node(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "node(data, rule, children, local_grads) takes 4 arguments");
        return NULL;
    }
    PyObject *children = args[2], *locals = args[3], *checked = NULL;
    if (!plain_parts(args[0], children, locals)) {
        /* ops.checked_result refuses what a row of add_rule's may give (None,
           a str, a huge int, too few local grads), naming the row, or gives
           the result and local grads as floats. */
        checked = PyObject_CallFunctionObjArgs(checked_result, args[1], args[0], children, locals, NULL);
        if (!checked)
            return NULL;
        locals = PyTuple_GET_ITEM(checked, 1);
        if (!list_or_tuple(children) || !all_nodes(children) ||
            PySequence_Fast_GET_SIZE(children) != PyTuple_GET_SIZE(locals)) {
            Py_DECREF(checked);
            PyErr_SetString(PyExc_TypeError, "node: children must be a tuple of Values");
            return NULL;
        }
    }
    double data = PyFloat_AS_DOUBLE(checked ? PyTuple_GET_ITEM(checked, 0) : args[0]);
    Node *out = new_node(data, args[1], PySequence_Fast_GET_SIZE(children));
    for (Py_ssize_t i = 0; out && i < Py_SIZE(out); i++)
        set_edge(out, i, (Node *)PySequence_Fast_GET_ITEM(children, i),
                 PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(locals, i)));
    if (out)
        track_if_above(out);
    Py_XDECREF(checked);
    return (PyObject *)out;
}

/* ---- adopt: become value.py's Value ------------------------------------ */

static PyMethodDef node_methods[] = {
    {"exp", (PyCFunction)node_exp, METH_NOARGS, NULL},
    {"log", (PyCFunction)node_log, METH_NOARGS, NULL},
    {"tanh", (PyCFunction)node_tanh, METH_NOARGS, NULL},
    {"relu", (PyCFunction)node_relu, METH_NOARGS, NULL},
    {"backward", (PyCFunction)(void (*)(void))node_backward, METH_VARARGS | METH_KEYWORDS, NULL},
    {"zero_grad", (PyCFunction)node_zero_grad, METH_NOARGS, NULL},
    {NULL},
};

/* The core's own methods and functions carry value.py's docstrings, so help()
   and the doctests read the same text on either engine. */
static int
borrow_doc(PyMethodDef *def, PyObject *source)
{
    PyObject *doc = PyObject_GetAttrString(source, "__doc__");
    if (!doc)
        return -1;
    if (PyUnicode_Check(doc))
        def->ml_doc = PyUnicode_AsUTF8(doc);  /* value.py keeps the str alive */
    Py_DECREF(doc);
    return PyErr_Occurred() ? -1 : 0;
}

static PyMethodDef sum_def = {
    "sum", (PyCFunction)(void (*)(void))value_sum, METH_FASTCALL | METH_KEYWORDS, NULL};
static PyMethodDef weighted_sum_def = {
    "weighted_sum", (PyCFunction)(void (*)(void))value_weighted_sum, METH_FASTCALL | METH_KEYWORDS, NULL};

/* Walk ops.TABLE: each row naming a kernel is bound to it; a row naming a
   kernel this file lacks is refused. */
static int
bind_kernels(PyObject *ops)
{
    PyObject *table = PyObject_GetAttrString(ops, "TABLE");
    PyObject *rows = table ? PySequence_Fast(table, "ops.TABLE must be a list of Rules") : NULL;
    Py_XDECREF(table);
    if (!rows)
        return -1;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(rows); i++) {
        PyObject *row = PySequence_Fast_GET_ITEM(rows, i);
        PyObject *kernel = PyObject_GetAttrString(row, "kernel");
        if (!kernel)
            goto fail;
        if (kernel == Py_None) {
            Py_DECREF(kernel);
            continue;
        }
        size_t k = 0;
        while (k < N_KERNELS && !(PyUnicode_Check(kernel) &&
                                  !PyUnicode_CompareWithASCIIString(kernel, kernels[k].name)))
            k++;
        if (k == N_KERNELS || *kernels[k].rule) {
            PyErr_Format(PyExc_RuntimeError,
                         k == N_KERNELS ? "the compiled core has no kernel %R (row %R of ops.TABLE)"
                                        : "two rows of ops.TABLE name the kernel %R (the second: %R)",
                         kernel, row);
            Py_DECREF(kernel);
            goto fail;
        }
        Py_DECREF(kernel);
        *kernels[k].rule = Py_NewRef(row);
    }
    Py_DECREF(rows);
    return 0;
fail:
    Py_DECREF(rows);
    return -1;
}

static PyObject *
adopt(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"pure", "context", "anomaly", "ops", "sum", "weighted_sum", NULL};
    PyObject *cls, *context, *anomaly, *ops, *sum_function, *wsum_function;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!$OOOOO:adopt", names, &PyType_Type, &cls,
                                     &context, &anomaly, &ops, &sum_function, &wsum_function))
        return NULL;
    if (pure) {
        PyErr_SetString(PyExc_RuntimeError, "adopt: the core already adopted a Value class");
        return NULL;
    }
    if (bind_kernels(ops) < 0 || !(checked_result = PyObject_GetAttrString(ops, "checked_result")) ||
        !(refused_type = PyObject_GetAttrString(ops, "RefusedType")) ||
        !(shown = PyObject_GetAttrString(ops, "shown")))
        return NULL;
    pure = Py_NewRef(cls);
    context_var = Py_NewRef(context);
    anomaly_var = Py_NewRef(anomaly);
    pure_sum = Py_NewRef(sum_function);
    pure_weighted_sum = Py_NewRef(wsum_function);

    /* Copy in every attribute value.py's class has and the core lacks, and
       the methods of kernels no row names. */
    PyObject *dict = NodeType->tp_dict, *key, *value;
    PyObject *pure_dict = ((PyTypeObject *)cls)->tp_dict;
    Py_ssize_t pos = 0;
    while (PyDict_Next(pure_dict, &pos, &key, &value)) {
        int has = PyDict_Contains(dict, key);
        for (size_t k = 0; has > 0 && k < N_KERNELS; k++)
            if (kernels[k].method && !*kernels[k].rule &&
                !PyUnicode_CompareWithASCIIString(key, kernels[k].method))
                has = 0;
        if (has < 0)
            return NULL;
        if (has && PyUnicode_CompareWithASCIIString(key, "__doc__"))
            continue;
        if (!PyUnicode_CompareWithASCIIString(key, "__init__") ||
            !PyUnicode_CompareWithASCIIString(key, "__module__") ||
            !PyUnicode_CompareWithASCIIString(key, "__slots__") ||
            Py_IS_TYPE(value, &PyMemberDescr_Type))  /* value.py's slots hold nothing of a core node */
            continue;
        if (PyDict_SetItem(dict, key, value) < 0)
            return NULL;
    }
    for (PyMethodDef *def = node_methods; def->ml_name; def++) {
        PyObject *source = PyObject_GetAttrString(cls, def->ml_name);
        if (!source || borrow_doc(def, source) < 0)
            return NULL;
        Py_DECREF(source);
    }
    PyType_Modified(NodeType);
    /* The rows the core runs call the core: rule.function is Value's method. */
    for (size_t k = 0; k < N_KERNELS; k++) {
        if (!kernels[k].method || !*kernels[k].rule)
            continue;
        PyObject *method = PyObject_GetAttrString((PyObject *)NodeType, kernels[k].method);
        if (!method || PyObject_SetAttrString(*kernels[k].rule, "function", method) < 0) {
            Py_XDECREF(method);
            return NULL;
        }
        Py_DECREF(method);
    }
    if (borrow_doc(&sum_def, sum_function) < 0 || borrow_doc(&weighted_sum_def, wsum_function) < 0)
        return NULL;
    PyObject *home = PyObject_GetAttrString(cls, "__module__");
    if (!home)
        return NULL;
    PyObject *fast_sum = PyCFunction_NewEx(&sum_def, NULL, home);
    PyObject *fast_wsum = PyCFunction_NewEx(&weighted_sum_def, NULL, home);
    Py_DECREF(home);
    if (!fast_sum || !fast_wsum ||
        (rule_sum && PyObject_SetAttrString(rule_sum, "function", fast_sum) < 0)) {
        Py_XDECREF(fast_sum);
        Py_XDECREF(fast_wsum);
        return NULL;
    }
    return Py_BuildValue("ONN", (PyObject *)NodeType, fast_sum, fast_wsum);
}

/* For the wraparound test only: read and set the number of walks so far. */
static PyObject *
walk_counter(PyObject *module, PyObject *unused)
{
    return PyLong_FromUnsignedLongLong(walks);
}

static PyObject *
set_walk_counter(PyObject *module, PyObject *n)
{
    unsigned long long count = PyLong_AsUnsignedLongLong(n);
    if (count == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    walks = count < VISITING ? count : VISITING;
    Py_RETURN_NONE;
}

static PyObject *
node_count(PyObject *module, PyObject *unused)
{
    return PyLong_FromSsize_t(live_nodes);
}

/* A heap type, so that value.py's add_rule can put new methods on it. */
static PyType_Slot node_slots[] = {
    {Py_tp_dealloc, node_dealloc},
    {Py_tp_repr, node_repr},
    {Py_tp_hash, node_hash},
    {Py_tp_traverse, node_traverse},
    {Py_tp_clear, node_clear},
    {Py_tp_richcompare, node_richcompare},
    {Py_tp_methods, node_methods},
    {Py_tp_getset, node_getset},
    {Py_tp_new, node_new},
    {Py_tp_init, node_init},
    {Py_nb_add, node_add},
    {Py_nb_subtract, node_sub},
    {Py_nb_multiply, node_mul},
    {Py_nb_true_divide, node_div},
    {Py_nb_power, node_pow},
    {Py_nb_negative, node_neg},
    {Py_nb_absolute, node_abs},
    {0, NULL},
};

static PyType_Spec node_spec = {
    .name = "pathgrad.engine.value.Value",
    .basicsize = sizeof(Node),
    .itemsize = sizeof(Edge),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .slots = node_slots,
};

/* value.py's scope.run(name, function, *args), compiled: nn enters one scope per
   neuron, so this is one set and one reset of the context, with no Python frame.
   A context that adopt() was not given (before adopt) is refused like any bad state. */
static PyObject *
run_in_scope(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2) {
        PyErr_SetString(PyExc_TypeError, "scope.run(name, function, *args) takes a name and a function");
        return NULL;
    }
    if (!PyUnicode_Check(args[0]) || !PyUnicode_GET_LENGTH(args[0])) {
        refuse_type("scope.run: got %U; a scope's name must be a non-empty str", args[0]);
        return NULL;
    }
    if (!context_var) {
        PyErr_SetString(PyExc_RuntimeError, "scope.run: the core has not adopted value.py's Value");
        return NULL;
    }
    PyObject *context;
    if (PyContextVar_Get(context_var, NULL, &context) < 0)
        return NULL;
    if (!PyTuple_Check(context) || PyTuple_GET_SIZE(context) != 2) {
        Py_DECREF(context);
        PyErr_SetString(PyExc_TypeError, "pathgrad's context must be (scope, recording)");
        return NULL;
    }
    PyObject *outer = PyTuple_GET_ITEM(context, 0);
    PyObject *inner = PyUnicode_GET_LENGTH(outer) ? PyUnicode_FromFormat("%U.%U", outer, args[0])
                                                   : Py_NewRef(args[0]);
    PyObject *entered = inner ? PyTuple_Pack(2, inner, PyTuple_GET_ITEM(context, 1)) : NULL;
    Py_XDECREF(inner);
    Py_DECREF(context);
    if (!entered)
        return NULL;
    PyObject *token = PyContextVar_Set(context_var, entered);
    Py_DECREF(entered);
    if (!token)
        return NULL;
    PyObject *result = PyObject_Vectorcall(args[1], args + 2, nargs - 2, NULL);
    if (PyContextVar_Reset(context_var, token) < 0)
        Py_CLEAR(result);  /* the reset's error replaces the call's result */
    Py_DECREF(token);
    return result;
}

static PyMethodDef module_methods[] = {
    {"adopt", (PyCFunction)(void (*)(void))adopt, METH_VARARGS | METH_KEYWORDS,
     "adopt(pure, *, context, anomaly, ops, sum, weighted_sum): become value.py's Value;\n"
     "returns (Value, sum, weighted_sum)."},
    {"node", (PyCFunction)(void (*)(void))value_node, METH_FASTCALL,
     "node(data, rule, children, local_grads): value.py's _node, compiled."},
    {"topological_order", topological_order, METH_O,
     "topological_order(root): graph.py's order, compiled."},
    {"node_count", node_count, METH_NOARGS, "The number of live nodes (for leak tests)."},
    {"_walk_counter", walk_counter, METH_NOARGS, "The number of graph walks so far (for tests)."},
    {"_set_walk_counter", set_walk_counter, METH_O,
     "Set the number of graph walks so far (for the wraparound test only)."},
    {"run_in_scope", (PyCFunction)(void (*)(void))run_in_scope, METH_FASTCALL,
     "run_in_scope(name, function, *args): value.py's scope.run, compiled."},
    {NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT, "pathgrad.engine._core",
    "pathgrad's compiled core: value.py's Value, stored in C.", -1, module_methods,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    if (!(NodeType = (PyTypeObject *)PyType_FromSpec(&node_spec)))
        return NULL;
    if (!(empty_str = PyUnicode_InternFromString("")) || !(op_str = PyUnicode_InternFromString("op")) ||
        !(bind_str = PyUnicode_InternFromString("bind")) || !(power_rules = PyDict_New()))
        return NULL;
    return PyModule_Create(&core_module);
}
