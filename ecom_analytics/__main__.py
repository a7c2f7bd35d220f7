import sys

from ecom_analytics.cli import main, native_logs_filtered

with native_logs_filtered():  # TensorFlow's C++ log lines stay off the terminal
    status = main()
sys.exit(status)
