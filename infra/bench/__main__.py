"""`make bench`: every figure in one run (`make soak` runs the long forms of the hostile-input tests)."""

import os
import platform

from infra.bench import (
    frontend,
    fuzz,
    imports,
    information_requests,
    lighthouse,
    login,
    risk,
    scale,
    site,
    upload,
)

if __name__ == "__main__":
    cores, memory = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"Machine: {platform.machine()}, {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}"
    )
    imports.main()
    site.main()
    frontend.main()
    login.main()
    information_requests.main()
    upload.main()
    risk.main()
    fuzz.main()
    from infra.load import run as load

    load.main(["--users", "50", "--seconds", "60"])
    lighthouse.main()
    scale.main((1.0, 10.0))
