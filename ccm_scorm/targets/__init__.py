"""The registry of output formats: `ccm build --target NAME` picks one by name.

Every target, the built-in ones too, is found through the `ccm_scorm.targets` entry-point
group (pyproject.toml), so a trust's own package adds a target by declaring one entry point
(docs/targets.md). The CLI's choices, the preview's labels and the build read this registry
and nothing else.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points

from ..errors import WriteProblem
from .base import BuildOptions, BuildRefused, Capabilities, Package, Target, TargetOption

ENTRY_POINT_GROUP = "ccm_scorm.targets"


class TargetError(WriteProblem):
    """A registered target cannot be used (it fails to import, or two packages claim one name)."""


def registry() -> dict[str, type[Target]]:
    """Every registered target by name, in the order of their `position` (then name)."""
    return _discover()[0]


def target_origin(name: str) -> str:
    """The package and version that registered a target ("ccm-scorm 0.1.0"), part of its packages' fingerprint."""
    return _discover()[1][name]


@lru_cache(maxsize=1)
def _discover() -> tuple[dict[str, type[Target]], dict[str, str]]:
    found: dict[str, type[Target]] = {}
    origins: dict[str, str] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        target_class = _load(point)
        if point.name in found and found[point.name] is not target_class:
            raise TargetError(
                f"two packages register the target {point.name!r} ({origins[point.name]} and "
                f"{_distribution(point)}); uninstall one of them"
            )
        found[point.name] = target_class
        origins[point.name] = f"{_distribution(point)} {point.dist.version if point.dist else ''}".strip()
    if not found:
        raise TargetError(
            f"no output formats are registered: the package metadata that lists them (entry points "
            f"{ENTRY_POINT_GROUP!r}) is missing or out of date; run pip install -e . in the ccm-scorm "
            "folder (or reinstall ccm-scorm)"
        )
    return dict(sorted(found.items(), key=lambda item: (item[1].position, item[0]))), origins


def refresh() -> None:
    """Forget the registry, so that targets installed since are found (tests, plugins added at run time)."""
    _discover.cache_clear()


def _distribution(point: EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    return dist.metadata["Name"] if dist is not None else ""


def _load(point: EntryPoint) -> type[Target]:
    where = f"the target {point.name!r} ({point.value}, from {_distribution(point) or 'an unknown package'})"
    try:
        target_class = point.load()
    except Exception as error:  # a third-party package's own bug: say whose it is, never a traceback
        raise TargetError(f"{where} cannot be loaded: {type(error).__name__}: {error}") from error
    if not (isinstance(target_class, type) and issubclass(target_class, Target)):
        raise TargetError(f"{where} is not a subclass of ccm_scorm.targets.Target")
    if target_class.name != point.name:
        raise TargetError(f"{where} calls itself {target_class.name!r}; the entry point and Target.name must agree")
    return target_class


def target_names() -> list[str]:
    return list(registry())


def module_target_names() -> list[str]:
    """The targets that make one package per module (what `ccm preview` can show); not the course-backup ones."""
    return [name for name, target_class in registry().items() if target_class.capabilities.modules]


def get_target(name: str) -> Target:
    try:
        return registry()[name]()
    except KeyError:
        raise KeyError(f"unknown target {name!r}; choose from {', '.join(target_names())}") from None


def target_options() -> dict[str, tuple[TargetOption, list[str]]]:
    """Every target option by name, with the targets that take it; one name means one option for all of them."""
    found: dict[str, tuple[TargetOption, list[str]]] = {}
    for name, target_class in registry().items():
        for option in target_class.options:
            first, users = found.setdefault(option.name, (option, []))
            if (first.type, first.default) != (option.type, option.default):
                raise TargetError(
                    f"the targets {users[0]} and {name} both take {option.flag} but with different "
                    "types or defaults; one of them must rename it"
                )
            users.append(name)
    return found


__all__ = [
    "BuildOptions",
    "BuildRefused",
    "Capabilities",
    "ENTRY_POINT_GROUP",
    "Package",
    "Target",
    "TargetError",
    "TargetOption",
    "get_target",
    "module_target_names",
    "refresh",
    "registry",
    "target_names",
    "target_options",
    "target_origin",
]
