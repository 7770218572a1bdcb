"""Making Data Count SPC: XmR limits, special-cause rules, icons, charts and narrative."""

from .engine import (
    POINT_TYPES,
    Group,
    Limits,
    SpcInputError,
    SpcPoint,
    SpcResult,
    analyse,
    assurance_icon,
    variation_icon,
    xmr_limits,
)
from .icons import assurance_svg, assurance_text, data_uri, icon_png, variation_svg, variation_text
from .narrative import summary_sentence
from .profile import PRESETS, SETTINGS, RuleProfile, profile_from

__all__ = [
    "POINT_TYPES", "PRESETS", "SETTINGS", "Group", "Limits", "RuleProfile", "SpcInputError",
    "SpcPoint", "SpcResult", "analyse", "assurance_icon", "assurance_svg", "assurance_text",
    "data_uri", "icon_png", "profile_from", "summary_sentence", "variation_icon",
    "variation_svg", "variation_text",
]
