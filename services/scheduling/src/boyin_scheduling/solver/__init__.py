"""Scheduling's solver, the pure core: plain Python, numpy and OR-Tools, no I/O (the
features turn their aggregates into its ``model`` and back).

* ``model``: the input and output as frozen data (Edition, Slot, Table, Session,
  Participant, Request, Instance; Placement, Schedule);
* ``checks`` / ``problem``: input checks (one ``invalid`` error listing every bad field) and
  the compiled index arrays the solvers share (``build_problem``, ``with_request``,
  ``without_request``);
* ``greedy``: ``solve_greedy``; ``cpsat``: ``solve_cpsat`` (hint, time limit, workers,
  optional secondary solve); ``polish``: local search for idle gaps and minimums;
* ``bounds``: ``compute_bounds`` (total, table capacity, flow, LP with GLOP);
  ``lp``: ``solve_lp`` (the LP's primal and certified bound, any objective weights);
  ``optimal``: ``solve_optimal`` (greedy, then the LP — the proven optimum when integral —
  else rounding and CP-SAT; progress reports); ``secondary``: ``improve_for_people``;
* ``repair``: ``add_meeting``, ``cancel_meeting``; ``tables``: table numbering and
  plan ↔ schedule; ``validate``: ``validate_schedule``; ``ics``: ``agenda_ics``;
* ``metrics``: idle gaps and shortfall; ``generator``: the seeded benchmark fair;
  ``board``: the mutable working timetable behind greedy, polish and repair.
"""
