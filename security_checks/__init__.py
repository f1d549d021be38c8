"""The security lab: small vulnerable programs, their fixes, and the exploits that tell them apart.

Each exercise is a folder with a ``vulnerable.py`` and a ``fixed.py`` that share one
public interface, a ``test_exploit.py`` and a ``README.md``. Check them all with
``python -m security_checks``; see README.md in this folder.
"""
