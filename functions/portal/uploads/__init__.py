"""Upload checks: what an uploaded file really is, judged by its bytes, and whether we accept it.

Every upload is hostile until shown otherwise, so reading it is bounded three ways: the parsers'
own limits (pypdf's `Configuration`, Pillow's `MAX_IMAGE_PIXELS`, and ours), and, around them, a
child process with a time and a memory limit (sandbox.py), killed when it overruns: a file that
cannot be checked within those limits is refused as unreadable, never a crash or a hang.

formats.py: accepted types and limits · verdict.py: the check · pdf.py, images.py: the parsers ·
sandbox.py: the child process they run in.
"""

from portal.uploads.formats import ACCEPTED, JPEG, MAX_BYTES, MAX_PIXELS, PDF, PNG, media_type_of
from portal.uploads.verdict import Verdict, check

__all__ = ["ACCEPTED", "JPEG", "MAX_BYTES", "MAX_PIXELS", "PDF", "PNG", "Verdict", "check", "media_type_of"]
