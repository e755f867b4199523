"""Step: the enums, their members, their values and the other spellings a document may use for
them (a spelling that two members share, under the enum's matching rule, is a problem)."""

from __future__ import annotations

from ..model import EnumMember, EnumModel, Spellings
from ..spec.loader import Path
from .context import Resolution


def run(res: Resolution) -> None:
    for name, raw in res.spec.get("enums", {}).items():
        path: Path = ("enums", name)
        res.type_name(name, "enum", path)
        match = raw.get("match", "exact")
        members: list[EnumMember] = []
        for member, body in raw["members"].items():
            where = res.at(("enums", name, "members", member), key=True)
            aliases = tuple(body.get("aliases", ()))
            members.append(EnumMember(member, body["value"], res.text(body["description"]), where, aliases, res.deprecation(body.get("deprecated"))))
        check_spellings(
            res,
            Spellings(match, tuple((m.value, m.aliases) for m in members)),
            [(("enums", name, "members", m.name, "value"), ("enums", name, "members", m.name, "aliases"), f'member "{m.name}"') for m in members],
            f'enum "{name}"',
        )
        res.enums[name] = EnumModel(name, res.text(raw["description"]), bool(raw.get("open")), members, res.at(path, key=True), match)


def check_spellings(res: Resolution, spellings: Spellings, owners: list[tuple[Path, Path, str]], what: str) -> None:
    """Report each spelling (a value or an alias) that matches one already taken, at the place
    the spec writes it; ``owners`` gives, for each value of ``spellings``, the paths of its value
    and of its aliases in the spec and how a message names its owner."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for (value, aliases), (value_at, aliases_at, who) in zip(spellings.values, owners, strict=True):
        for i, spelling in enumerate((value, *aliases)):
            at: Path = value_at if i == 0 else (*aliases_at, i - 1)
            if spellings.match == "case_insensitive" and not spelling.isascii():
                res.fail(at, f'{what}: "{spelling}" of {who} is not ASCII, so it cannot be matched ignoring case (list its spellings as aliases instead)')
                continue
            looked = spellings.key(spelling)
            if looked not in seen:
                seen[looked] = (who, spelling, i == 0)
                continue
            other_who, other, other_is_value = seen[looked]
            ignoring = "" if other == spelling else ", ignoring case"
            if other_who == who:
                res.fail(at, f'{what}: {who} spells "{spelling}" twice{ignoring}')
            elif i == 0 and other_is_value and not ignoring:
                res.fail(at, f'{what}: {who} repeats the value "{value}" of {other_who}')
            else:
                mine = "the value" if i == 0 else "the alias"
                theirs = "the value" if other_is_value else "the alias"
                res.fail(at, f'{what}: {mine} "{spelling}" of {who} matches {theirs} "{other}" of {other_who}{ignoring}')
