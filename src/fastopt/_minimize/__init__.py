"""``minimize``: the methods' table, the first-order and curvature loops, their kernels.

* ``api``: ``minimize`` itself: validate, look the method up, pick a driver,
  build the result;
* ``table``: the one table of methods (first-order rows from ``_steps``);
* ``first_order``, ``curvature``: the two loops, each one twin source;
* ``directions``: the curvature loop's direction rules;
* ``objective``: the user's function as each driver sees it;
* ``report``: callback and ``disp`` of the Python driver;
* ``hess_inv``, ``show``: ``hess_inv`` of an l-bfgs run, ``show_options``;
* ``kernels/``: L-BFGS, BFGS, damped Newton, the More-Thuente search.
"""
