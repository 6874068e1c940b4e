"""Who a declaration can name: members and officers (council records) and ``External``
people or organisations outside the council, matched by name and e-mail."""

from __future__ import annotations

from dataclasses import dataclass


def normalise_name(name: str | None) -> str:
    """A name as stored and compared: trimmed, single-spaced."""
    return " ".join((name or "").split())


@dataclass(frozen=True)
class External:
    """A person or organisation outside the council: a constituent, a company, a lodge.

    Matched against a declaration's external counterpart case-insensitively: when both sides
    have an e-mail address, the addresses decide (two people may share a name); otherwise the
    names do (``matches``)."""

    name: str = ""
    email: str = ""

    def __post_init__(self):
        object.__setattr__(self, "name", normalise_name(self.name))
        object.__setattr__(self, "email", (self.email or "").strip())

    @property
    def is_blank(self) -> bool:
        return not self.name and not self.email

    def matches(self, name: str, email: str) -> bool:
        mine, theirs = self.email.lower(), (email or "").strip().lower()
        if mine and theirs:
            return mine == theirs
        mine, theirs = self.name.lower(), normalise_name(name).lower()
        return bool(mine) and mine == theirs
