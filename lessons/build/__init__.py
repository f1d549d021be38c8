"""The build track: the learner writes each lesson's package of the app in
``workshop/``, step by step, and the reference app's own stage tests check it.

- steps.py: each lesson's steps, read from ``lessons/NN_*/steps.toml``;
- starter.py: a lesson's starter, made from the reference package;
- workshop.py: the learner's app, and what ``start`` writes into it;
- checker.py: ``check`` runs the stage tests against the workshop;
- cli.py: ``python -m lessons build start|check|status|hint|diff``.
"""
