"""The built-in export formats; importing this package registers them (one module each)."""

from ot.exports.formats import adp_wfn, generic, gusto, paychex_flex  # noqa: F401
