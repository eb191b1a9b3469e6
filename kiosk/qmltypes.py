"""Describe the `Kiosk` singleton to QML tooling: `python -m kiosk.qmltypes` writes
qml/SafeAirports/kiosk.qmltypes from the controller's meta-object.

`pyside6-qmllint` reads that file (named by `typeinfo` in the module's qmldir) to check every
`Kiosk.x` in the QML against the real properties, signals and slots; a test checks the file is
up to date. The app registers the type itself at run time (QmlNamedElement, QmlSingleton).
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from PySide6.QtCore import QMetaMethod, QMetaObject, QObject

from kiosk.controller import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME, KioskController

QMLTYPES = Path(__file__).resolve().parent / "qml" / "SafeAirports" / "kiosk.qmltypes"
EXPORT_NAME = "Kiosk"


def _text(value: object) -> str:
    """A meta-object name as text (PySide returns str where its stubs say bytes)."""
    return value.decode() if isinstance(value, (bytes, bytearray)) else str(value)


def _parameter_names(cls: type[QObject], name: str, count: int) -> list[str]:
    """The Python names of a slot's parameters (the meta-object does not keep them)."""
    try:
        signature = inspect.signature(getattr(cls, name))
        names = [p for p in signature.parameters if p != "self"]
    except (AttributeError, TypeError, ValueError):
        names = []
    names += [f"arg{i}" for i in range(len(names), count)]
    return names[:count]


def describe(cls: type[QObject], export: str) -> str:
    mo: QMetaObject = getattr(cls, "staticMetaObject")  # noqa: B009 (not in the stubs)
    lines = [
        "import QtQuick.tooling 1.2",
        "",
        f"// Written by `python -m kiosk.qmltypes` from {cls.__module__}.{cls.__name__}.",
        "Module {",
        "    Component {",
        f'        file: "{cls.__module__.replace(".", "/")}.py"',
        f'        name: "{_text(mo.className())}"',
        '        accessSemantics: "reference"',
        f'        prototype: "{_text(mo.superClass().className())}"',
        f'        exports: ["{QML_IMPORT_NAME}/{export} {QML_IMPORT_MAJOR_VERSION}.0"]',
        "        isCreatable: false",
        "        isSingleton: true",
        f"        exportMetaObjectRevisions: [{QML_IMPORT_MAJOR_VERSION * 256}]",
    ]
    for i in range(mo.propertyOffset(), mo.propertyCount()):
        prop = mo.property(i)
        name, notify = _text(prop.name()), prop.notifySignal().name().toStdString()
        lines.append(
            f'        Property {{ name: "{name}"; type: "{_text(prop.typeName())}"; '
            f'read: "{name}"; notify: "{notify}"; index: {i - mo.propertyOffset()}; '
            "isReadonly: true }"
        )
    for i in range(mo.methodOffset(), mo.methodCount()):
        method = mo.method(i)
        name = method.name().toStdString()
        kind = "Signal" if method.methodType() == QMetaMethod.MethodType.Signal else "Method"
        types = [t.toStdString() for t in method.parameterTypes()]
        returns = _text(method.typeName())
        head = f'{kind} {{ name: "{name}"' + (f'; type: "{returns}"' if returns != "void" else "")
        if not types:
            lines.append(f"        {head} }}")
            continue
        lines.append(f"        {head}")
        for pname, ptype in zip(_parameter_names(cls, name, len(types)), types, strict=True):
            lines.append(f'            Parameter {{ name: "{pname}"; type: "{ptype}" }}')
        lines.append("        }")
    lines += ["    }", "}", ""]
    return "\n".join(lines)


def main() -> int:
    QMLTYPES.write_text(describe(KioskController, EXPORT_NAME), encoding="utf-8")
    print(f"wrote {QMLTYPES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
