"""Step: the enums, their members and their values (a value told twice is a problem)."""

from __future__ import annotations

from ..model import EnumMember, EnumModel
from ..spec.loader import Path
from .context import Resolution


def run(res: Resolution) -> None:
    for name, raw in res.spec.get("enums", {}).items():
        path: Path = ("enums", name)
        res.type_name(name, "enum", path)
        members: list[EnumMember] = []
        seen: dict[str, str] = {}
        for member, body in raw["members"].items():
            value = body["value"]
            if value in seen:
                res.fail(
                    ("enums", name, "members", member, "value"),
                    f'enum "{name}": member "{member}" repeats the value "{value}" of member "{seen[value]}"',
                )
            seen[value] = member
            where = res.at(("enums", name, "members", member), key=True)
            members.append(EnumMember(member, value, res.text(body["description"]), where, res.deprecation(body.get("deprecated"))))
        res.enums[name] = EnumModel(name, res.text(raw["description"]), bool(raw.get("open")), members, res.at(path, key=True))
