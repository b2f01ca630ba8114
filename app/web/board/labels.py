"""The names of segments and their groups, translated when shown (pages, exports, API)."""

from app.i18n import N_, gettext
from app.services.board.segments import Segment, size_band_label
from app.web.labels import region_label, service_type_label

SEGMENT_LABELS = {
    Segment.SERVICE_TYPE: N_("Tilbudstype"),
    Segment.REGION: N_("Region"),
    Segment.SIZE: N_("Antal pladser"),
}


def segment_label(segment: Segment | None) -> str:
    return gettext(SEGMENT_LABELS[segment]) if segment else gettext(N_("Hele sektoren"))


def segment_group_label(segment: Segment | None, value: str) -> str:
    if segment is None or value == "all":
        return gettext(N_("Alle medlemmer"))
    try:
        if segment is Segment.SERVICE_TYPE:
            return service_type_label(value)
        if segment is Segment.REGION:
            return region_label(value)
    except ValueError:  # a code no longer in the list: show it as it is stored
        return value
    return size_band_label(value)
