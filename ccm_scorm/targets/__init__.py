"""The registry of output formats: `ccm build --target NAME` picks one by name."""

from __future__ import annotations

from .base import BuildOptions, BuildRefused, Package, Target

_REGISTRY: dict[str, type[Target]] = {}


def register(target_class: type[Target]) -> type[Target]:
    _REGISTRY[target_class.name] = target_class
    return target_class


def _load_builtin_targets() -> None:
    # Imported for their @register side effect; a target module that is not there
    # yet (while the format is being built) is simply not offered.
    import importlib

    for name in ("web", "scorm12", "scorm2004", "xapi", "cmi5", "moodle"):
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise


def target_names() -> list[str]:
    _load_builtin_targets()
    order = ["web", "scorm12", "scorm2004", "xapi", "cmi5", "moodle"]
    return sorted(_REGISTRY, key=lambda name: (order.index(name) if name in order else len(order), name))


def module_target_names() -> list[str]:
    """The targets that make one package per module (what `ccm preview` can show); not the course-backup ones."""
    return [name for name in target_names() if type(get_target(name)).build_module is not Target.build_module]


def get_target(name: str) -> Target:
    _load_builtin_targets()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(f"unknown target {name!r}; choose from {', '.join(target_names())}") from None


__all__ = ["BuildOptions", "BuildRefused", "Package", "Target", "get_target", "module_target_names", "register",
           "target_names"]
