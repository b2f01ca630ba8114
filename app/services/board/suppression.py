"""Which groups of a segment the board may not see, so that no group under the minimum can
be read off the page, not even by subtracting the visible groups from the total.

Primary suppression hides every group with fewer respondents than the minimum. Secondary
suppression then hides more groups (the smallest first) until the hidden ones, taken
together, are at least two groups with respondents and at least the minimum: the total
minus the visible groups is then an aggregate of several groups and enough people, never
one small group. A group without members hides nothing, so it does not count; a group
with members but no respondents does, or the total minus the rest would show that none of
its members responded (the response rate is a figure too).
"""


def hidden_groups(respondents: dict[str, int], minimum: int,
                  members: dict[str, int] | None = None) -> set[str]:
    """The values of `respondents` (group -> respondents) to suppress; `members` (group ->
    members, default: the respondents) tells which groups have anyone in them."""
    size = members if members is not None else respondents
    hidden = {value for value, n in respondents.items() if n < minimum}
    protecting = [value for value in hidden if size.get(value, 0) > 0]
    if not protecting:
        return hidden
    visible = sorted((n, value) for value, n in respondents.items()
                     if value not in hidden and n > 0)
    while visible and (len(protecting) < 2
                       or sum(respondents[v] for v in protecting) < minimum):
        _, value = visible.pop(0)
        hidden.add(value)
        protecting.append(value)
    # If nothing visible is left, the hidden groups are the whole total, which the total's
    # own primary suppression covers.
    return hidden
