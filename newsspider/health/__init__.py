"""Run health: never silent (docs/MONITORING.md).

* :mod:`~newsspider.health.monitors` - the Spidermon monitor suite and its thresholds;
* :mod:`~newsspider.health.drift` - layout drift of profiled sites;
* :mod:`~newsspider.health.verdict` - the verdict, exit status and summary of a run;
* :mod:`~newsspider.health.notify` - webhook, e-mail and command alerts;
* :mod:`~newsspider.health.status` - ``newsspider status``;
* :mod:`~newsspider.health.prune` - removal of old run folders;
* :mod:`~newsspider.health.observe`, :mod:`~newsspider.health.progress` - extensions.
"""
