"""An aiosmtpd handler that keeps every message it is given, for Xun's tests.

Run with Debian's python3-aiosmtpd (plain `python3` may be another Python
without it):

  PYTHONPATH=tests/tools /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT \\
      -c smtp_sink.Sink DIRECTORY

Each message accepted becomes DIRECTORY/NNNNN.eml (the data exactly as
received) and DIRECTORY/NNNNN.json ({"mail_from", "rcpt_tos"}), numbered from
00001. Recipients whose local part starts with "tempfail" are refused with
451 (try again later), those starting with "reject" with 550 (no such user).
"""

import json
import os
import threading


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Sink takes one argument: the directory")
        return cls(args[0])

    def envelope_record(self, server, session, envelope):
        """What NNNNN.json says about a message; smtp_tls_server.py adds the TLS and the login."""
        return {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("tempfail"):
            return "451 4.3.0 mailbox busy, try again later"
        if local.startswith("reject"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with self.lock:
            n = len([f for f in os.listdir(self.directory) if f.endswith(".eml")]) + 1
            stem = os.path.join(self.directory, "%05d" % n)
            with open(stem + ".json", "w", encoding="utf-8") as f:
                json.dump(self.envelope_record(server, session, envelope), f)
            with open(stem + ".eml.part", "wb") as f:
                f.write(data)
            os.rename(stem + ".eml.part", stem + ".eml")
        return "250 2.0.0 Message accepted for delivery"
