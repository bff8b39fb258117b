"""Finding and downloading recorded video (evidence for detector reports).

Search: ``POST /ISAPI/ContentMgmt/search`` with a CMSearchDescription; download:
``GET /ISAPI/ContentMgmt/download`` with the match's playbackURI. Times go out in
UTC with a ``Z``; the track of channel N main stream is ``N01``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO

from . import errors
from . import xml as isapi_xml
from .client import XML_TYPE

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

PAGE_SIZE = 40
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Recording:
    track_id: int
    start: datetime
    end: datetime
    playback_uri: str
    content_type: str = "video"


def isapi_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("recording search needs aware datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_isapi_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def track_for(channel: int, stream: int = 1) -> int:
    return int(channel) * 100 + int(stream)


def _search_document(search_id: str, track: int, start: datetime, end: datetime, position: int) -> ET.Element:
    return isapi_xml.build(
        "CMSearchDescription",
        [
            ("searchID", search_id),
            ("trackIDList", [("trackID", track)]),
            (
                "timeSpanList",
                [("timeSpan", [("startTime", isapi_time(start)), ("endTime", isapi_time(end))])],
            ),
            ("maxResults", PAGE_SIZE),
            # "Postion" is the device's own spelling.
            ("searchResultPostion", position),
            ("metadataList", [("metadataDescriptor", "//recordType.meta.std-cgi.com")]),
        ],
    )


def _recording(item: ET.Element) -> Recording:
    return Recording(
        track_id=int(isapi_xml.text(item, "trackID", "0") or 0),
        start=parse_isapi_time(isapi_xml.text(item, "timeSpan/startTime")),
        end=parse_isapi_time(isapi_xml.text(item, "timeSpan/endTime")),
        playback_uri=isapi_xml.text(item, "mediaSegmentDescriptor/playbackURI"),
        content_type=isapi_xml.text(item, "mediaSegmentDescriptor/contentType", "video"),
    )


class RecordingsMixin:
    def search_recordings(
        self, start: datetime, end: datetime, *, channel: int = 1, stream: int = 1
    ) -> list[Recording]:
        """Recorded segments of the channel overlapping [start, end], oldest first."""
        found: list[Recording] = []
        search_id = str(uuid.uuid4()).upper()
        while True:
            root = self.post_xml(
                "/ISAPI/ContentMgmt/search",
                _search_document(search_id, track_for(channel, stream), start, end, len(found)),
            )
            page = [_recording(i) for i in root.iterfind("matchList/searchMatchItem")]
            found.extend(page)
            if isapi_xml.text(root, "responseStatusStrg") != "MORE" or not page:
                return sorted(found, key=lambda r: r.start)

    def download_recording(self, recording: Recording | str, into: BinaryIO) -> int:
        """Stream a recording into a binary file object; return the byte count."""
        uri = recording.playback_uri if isinstance(recording, Recording) else recording
        document = isapi_xml.build("downloadRequest", {"playbackURI": uri})
        response = self.request(
            "GET",
            "/ISAPI/ContentMgmt/download",
            body=isapi_xml.serialize(document),
            content_type=XML_TYPE,
            stream=True,
        )
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                into.write(chunk)
                size += len(chunk)
        except OSError as exc:
            raise errors.ConnectionFailed(
                f"{self.label}: download interrupted ({type(exc).__name__})",
                device=self.label,
                path="/ISAPI/ContentMgmt/download",
            )
        finally:
            response.close()
        return size
