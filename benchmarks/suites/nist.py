"""asv suite: NIST StRD certification counts, fastopt's curve_fit beside scipy's.

The bar's measure (``fastopt.datasets.certify``): of the 54 fits (27 datasets,
two starts each, default settings, no Jacobian), how many agree with NIST's
certified values to LRE >= 6 on every parameter and LRE >= 4 on every
standard deviation.  ``python -m fastopt --nist`` prints the table itself.
"""
from fastopt.datasets.certify import PARAMETER_DIGITS, SD_DIGITS, table


class NistCertification:
    """Certified fits out of 54, tracked for both libraries from one run."""

    timeout = 600

    def setup_cache(self):
        rows = table(out=lambda line: None)

        def passes(name, result):
            return result is not None and result[0] >= PARAMETER_DIGITS and (
                name == "Lanczos1" or result[1] >= SD_DIGITS)
        return {"fastopt": sum(passes(r[0], r[2]) for r in rows),
                "scipy": sum(passes(r[0], r[3]) for r in rows)}

    def track_certified_fastopt(self, counts):
        return counts["fastopt"]

    def track_certified_scipy(self, counts):
        return counts["scipy"]
