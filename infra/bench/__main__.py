"""`make bench`: every figure in one run."""

import platform

from infra.bench import imports, login, risk, site, upload

if __name__ == "__main__":
    print(
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}"
    )
    imports.main()
    site.main()
    login.main()
    upload.main()
    risk.main()
