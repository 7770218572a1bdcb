"""Rule profiles: the settings on which SPC implementations disagree (spec §4, §7).

Two presets reproduce their reference implementation exactly:

* ``mdc``  – NHS England's Making Data Count Single Chart Tool v5.0 (the default).
* ``nhsr`` – the NHSRplotthedots R package (v0.2.2).

Config files carry ``spc: {profile: mdc, overrides: {...}}``; pass them to
``profile_from(config.spc.profile, **config.spc.overrides)``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

Conflict = Literal["improvement", "precedence", "concern"]
TargetOnLimit = Literal["hit_miss", "pass_fail"]
ScreeningComparison = Literal["strict", "inclusive"]


@dataclass(frozen=True)
class RuleProfile:
    """How limits are calculated and which special-cause rules apply."""

    # A run of this many points all above (or all below) the mean is a shift.
    shift_points: int = 6
    # This many points each strictly higher (or lower) than the one before is a trend.
    trend_points: int = 6
    # Drop moving ranges of 3.267 x their mean or more before setting the limits.
    screen_outliers: bool = False
    # "strict" keeps MRs < 3.267 x mean MR (NHSRplotthedots); "inclusive" keeps <= (MDC SQL).
    screening_comparison: ScreeningComparison = "strict"
    # MDC SQL also leaves points whose incoming MR was screened out of the mean.
    screening_recomputes_mean: bool = False
    # Shift, trend and 2-of-3 runs may continue across a recalculation (MDC Excel).
    rules_cross_recalculations: bool = True
    # A point firing both an improvement and a concern rule: "improvement" or "concern"
    # wins outright (MDC Excel shows improvement); "precedence" takes the first rule in
    # the order outside limits > trend > 2 of 3 > shift (NHSRplotthedots).
    conflict: Conflict = "improvement"
    # Fewer points than this: no limits, icons or special-cause colours (a run chart).
    min_points_for_limits: int = 13
    # A recalculation period with fewer points than this gets a "trial limits" warning.
    short_group_warning_below: int = 13
    # Whether a point beyond 3 sigma counts towards "2 of 3 beyond 2 sigma" (MDC SQL v2.6).
    two_sigma_counts_beyond_3sigma: bool = False
    # A target exactly on a process limit: "hit_miss" (NHSRplotthedots) or pass/fail (MDC SQL).
    target_on_limit: TargetOnLimit = "pass_fail"
    # When the limits collapse onto the mean (zero variation), whether points off the
    # mean count as special causes. NHSRplotthedots says yes; we say no for MDC.
    zero_sigma_signals: bool = False

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError("; ".join(problems))


_CHOICES: dict[str, tuple[str, ...]] = {
    "conflict": ("improvement", "precedence", "concern"),
    "target_on_limit": ("hit_miss", "pass_fail"),
    "screening_comparison": ("strict", "inclusive"),
}
_MINIMUMS: dict[str, int] = {
    "shift_points": 2,
    "trend_points": 3,
    "min_points_for_limits": 2,
    "short_group_warning_below": 0,
}


def _problems(profile: RuleProfile) -> list[str]:
    problems = []
    for field in dataclasses.fields(profile):
        name, value = field.name, getattr(profile, field.name)
        if name in _CHOICES:
            if value not in _CHOICES[name]:
                problems.append(
                    f"SPC setting {name}={value!r}: choose one of {', '.join(_CHOICES[name])}"
                )
        elif name in _MINIMUMS:
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"SPC setting {name}={value!r}: must be a whole number")
            elif value < _MINIMUMS[name]:
                problems.append(f"SPC setting {name}={value!r}: must be at least {_MINIMUMS[name]}")
        elif not isinstance(value, bool):
            problems.append(f"SPC setting {name}={value!r}: must be true or false")
    return problems


PRESETS: dict[str, RuleProfile] = {
    "mdc": RuleProfile(),
    "nhsr": RuleProfile(
        shift_points=7,
        trend_points=7,
        screen_outliers=True,
        screening_comparison="strict",
        rules_cross_recalculations=False,
        conflict="precedence",
        min_points_for_limits=2,
        short_group_warning_below=13,
        two_sigma_counts_beyond_3sigma=False,
        target_on_limit="hit_miss",
        zero_sigma_signals=True,
    ),
}

SETTINGS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(RuleProfile))


def profile_from(preset: str = "mdc", **overrides: object) -> RuleProfile:
    """The named preset with any settings replaced; ValueError names a bad one."""
    if preset not in PRESETS:
        raise ValueError(f"unknown SPC profile {preset!r}: choose one of {', '.join(PRESETS)}")
    unknown = sorted(set(overrides) - set(SETTINGS))
    if unknown:
        raise ValueError(
            f"unknown SPC setting {unknown[0]!r}: settings are {', '.join(SETTINGS)}"
        )
    return dataclasses.replace(PRESETS[preset], **overrides)
