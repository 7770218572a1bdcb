"""A browser tab as the server sees it, without a browser: one session over Streamlit's WebSocket
(its own protobuf messages), the default page run, and everything the server sent, as text."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


async def _page_text(port: int, host: str | None, origin: str | None, headers: dict | None, page: str) -> str:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    host = host or f"127.0.0.1:{port}"
    async with websockets.connect(f"ws://{host}/_stcore/stream", host="127.0.0.1", port=port,  # Host: `host`
                                  subprotocols=["streamlit"], origin=origin, additional_headers=headers or {},
                                  max_size=None, open_timeout=60) as ws:
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_name = page        # the page's URL path; "" the default page
        await ws.send(message.SerializeToString())
        texts = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            texts.append(str(forward))
            if forward.WhichOneof("type") == "script_finished":
                return "\n".join(texts)


def page_text(port: int, host: str | None = None, origin: str | None = "same", headers: dict | None = None,
              page: str = "") -> str:
    """The default page as a session to 127.0.0.1:`port` gets it, its handshake saying Host `host`
    (default 127.0.0.1:port) and Origin `origin` ("same": http://<host>; None: no Origin). Raises
    websockets' InvalidStatus when the handshake is refused."""
    host = host or f"127.0.0.1:{port}"
    session = _page_text(port, host, f"http://{host}" if origin == "same" else origin, headers, page)
    # its own thread: Playwright's sync API (the browser tests, same process) leaves an event loop
    # running in this one, and asyncio.run refuses to start inside it
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, session).result()
