import sys

from ecom_analytics.cli import main

sys.exit(main())
