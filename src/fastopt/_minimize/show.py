"""``show_options``: each method's options, defaults and reference, from the table."""
from . import table


def show_options(method=None, disp=True):
    """Describe the options of one method, or of all.

    Parameters
    ----------
    method : str, optional
        A method name; all methods when None.
    disp : bool
        Print the text (True) or return it (False).

    Examples
    --------
    >>> import fastopt
    >>> print(fastopt.show_options("adam", disp=False))  # doctest: +NORMALIZE_WHITESPACE
    adam: Kingma and Ba (2015), ICLR, Algorithm 1
        lr = 0.001
        beta1 = 0.9
        beta2 = 0.999
        eps = 1e-08
        maxiter = 10000
        gtol = 1e-05
        disp = False
    """
    specs = table.METHODS.values() if method is None else [table.lookup(method)]
    blocks = []
    for spec in specs:
        lines = [f"{spec.name}: {spec.reference}"]
        for name, default in spec.options.items():
            shown = "None (Armijo line search)" if default is None else f"{default:g}"
            lines.append(f"    {name} = {shown}")
        lines.append(f"    maxiter = {'200 * n' if spec.maxiter == '200n' else spec.maxiter}")
        lines.append(f"    gtol = {_gtol(spec)}")
        lines.append("    disp = False")
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks)
    if not disp:
        return text
    print(text)


def _gtol(spec):
    fd = spec.gtol_for(True)
    return f"{spec.gtol:g}" + ("" if fd == spec.gtol else f" ({fd:g} with a differenced gradient)")


def _defaults(spec):
    shown = [f"{k}={'None' if v is None else f'{v:g}'}" for k, v in spec.options.items()]
    shown.append(f"maxiter={'200 n' if spec.maxiter == '200n' else spec.maxiter}")
    shown.append(f"gtol={_gtol(spec)}")
    return "`" + ", ".join(shown) + "`"


def markdown():
    """The README's two tables of methods (curvature, then first-order), from the table.

    ``python -m fastopt --methods`` prints them; a test checks the README has them.
    """
    blocks = []
    for title, names in (("direction", table.CURVATURE), ("update (g = gradient)",
                                                          table.FIRST_ORDER)):
        rows = [f"| method | {title} | defaults | reference |", "| --- | --- | --- | --- |"]
        for name in names:
            spec = table.METHODS[name]
            rows.append(f"| `{name}` | {spec.update} | {_defaults(spec)} | {spec.reference} |")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)
