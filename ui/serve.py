"""Start the Streamlit server with app.py's st.navigation as the only page router.

Streamlit keeps its legacy `pages/` folder routing switched on until the first script run calls
st.navigation, so a deep link (e.g. /kpi?kpi=…) as a fresh server's first request shows a
"Page not found" dialog before app.py takes over. Switching the legacy mode off before the
server starts removes that. Usage: python -m ui.serve run app.py [streamlit options]
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

PagesManager.uses_pages_directory = False

if __name__ == "__main__":
    sys.exit(main(prog_name="streamlit"))
