"""Following permanent ids across catalogue versions (for carry-over and year-over-year)."""

from itertools import pairwise

from sqlmodel import Session, select

from app.models import CatalogueVersion, NodeMapping


def key_map(session: Session, from_version_id: int, to_version_id: int) -> dict[str, str]:
    """old key -> new key for nodes whose meaning is unchanged (`equal`) between versions.

    Walks the supersession chain forward, so a member can compare with any older version.
    Within one version every key maps to itself.
    """
    if from_version_id == to_version_id:
        return _Identity()
    chain = _chain(session, from_version_id, to_version_id)
    if chain is None:
        return {}
    mapping: dict[str, str] | None = None
    for older, newer in pairwise(chain):
        step = {m.from_key: m.to_key for m in session.exec(select(NodeMapping).where(
            NodeMapping.from_version_id == older, NodeMapping.to_version_id == newer,
            NodeMapping.relation == "equal"))}
        mapping = step if mapping is None else {
            old: step[mid] for old, mid in mapping.items() if mid in step}
    return mapping or {}


class _Identity(dict):
    def get(self, key, default=None):
        return key

    def __getitem__(self, key):
        return key

    def __contains__(self, key) -> bool:
        return True


def _chain(session: Session, from_id: int, to_id: int) -> list[int] | None:
    """[from_id, ..., to_id] following `supersedes` backwards from the newer version."""
    parents = dict(session.exec(select(CatalogueVersion.id, CatalogueVersion.supersedes_id)).all())
    chain = [to_id]
    while chain[-1] != from_id:
        parent = parents.get(chain[-1])
        if parent is None or parent in chain:
            return None
        chain.append(parent)
    return list(reversed(chain))
