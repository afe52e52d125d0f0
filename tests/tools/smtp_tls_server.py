#!/usr/bin/python3
"""An SMTP submission server with TLS and AUTH, for Xun's tests, built on
Debian's python3-aiosmtpd (SMTP class) and smtp_sink.Sink (which keeps each
message it accepts).

  /usr/bin/python3 tests/tools/smtp_tls_server.py --dir DIR --user U --password P
      [--mechanism PLAIN|LOGIN] [--no-starttls] [--san SAN]

Makes a throwaway CA and a server certificate with the `openssl` CLI in
DIR/certs (ca.pem is the CA to trust; the server's subjectAltName is
IP:127.0.0.1,DNS:localhost unless --san says otherwise), then listens on
127.0.0.1 and prints one JSON line with its ports:

  {"starttls": P1, "smtps": P2}   P1: plain SMTP that requires STARTTLS before
                                  anything but EHLO/NOOP/QUIT, then AUTH;
                                  P2: implicit TLS (smtps), then AUTH
  {"plain": P}                    with --no-starttls: no TLS at all, AUTH offered
                                  in the clear (a server a client must refuse to
                                  send its password to)

Every listener requires AUTH before MAIL, with the one user and password given
(--mechanism: only that mechanism is offered). Messages land as
DIR/mail/NNNNN.eml and NNNNN.json ({"mail_from", "rcpt_tos", "tls", "login"}:
the TLS version the message came over, null in the clear, and the login that
authenticated). Each AUTH attempt is a line of DIR/events.jsonl:
{"event": "auth", "listener", "mechanism", "login", "ok", "tls"} (never the
password).
"""
import argparse
import asyncio
import json
import os
import ssl
import subprocess
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from smtp_sink import Sink


def make_certificates(directory, san):
    """A CA and a server certificate it signs, P-256 keys, valid for 30 days."""
    os.makedirs(directory, exist_ok=True)
    ca_key, ca_pem = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.pem")
    key, csr, pem = (os.path.join(directory, n) for n in ("server.key", "server.csr", "server.pem"))
    ext = os.path.join(directory, "server.ext")
    if os.path.exists(pem):
        return pem, key
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)
    run("req", "-x509", *ec, "-keyout", ca_key, "-out", ca_pem, "-days", "30",
        "-subj", "/CN=Xun test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=xun-test-smtp")
    with open(ext, "w") as f:
        f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" % san)
    run("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-set_serial",
        str(int.from_bytes(os.urandom(8), "big")), "-days", "30", "-extfile", ext, "-out", pem)
    return pem, key


def tls_version(server):
    transport = server.transport
    ssl_object = transport.get_extra_info("ssl_object") if transport else None
    return ssl_object.version() if ssl_object else None


class TlsSink(Sink):
    def envelope_record(self, server, session, envelope):
        record = super().envelope_record(server, session, envelope)
        login = session.login_data
        record["tls"] = tls_version(server)
        record["login"] = login.decode("utf-8", "replace") if isinstance(login, bytes) else login
        return record


class Accounts:
    """The one user, and a log of every attempt to log in."""

    def __init__(self, user, password, events):
        self.user, self.password = user.encode(), password.encode()
        self.events = events
        self.lock = threading.Lock()

    def authenticator(self, listener):
        def check(server, session, envelope, mechanism, auth_data):
            tls = tls_version(server)
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
                  and auth_data.password == self.password)
            login = auth_data.login.decode("utf-8", "replace") \
                if isinstance(auth_data, LoginPassword) else None
            with self.lock, open(self.events, "a", encoding="utf-8") as f:
                f.write(json.dumps({"event": "auth", "listener": listener, "mechanism": mechanism,
                                    "login": login, "ok": ok, "tls": tls}) + "\n")
            # smtps: aiosmtpd does not know its transport is TLS, so it is checked here.
            if listener == "smtps" and tls is None:
                return AuthResult(success=False, handled=False,
                                  message="538 5.7.11 Encryption required")
            # handled=False: aiosmtpd answers 235 or 535 itself.
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
        return check


async def serve(args):
    handler = TlsSink(os.path.join(args.dir, "mail"))
    accounts = Accounts(args.user, args.password, os.path.join(args.dir, "events.jsonl"))
    excluded = [m for m in ("PLAIN", "LOGIN") if args.mechanism and m != args.mechanism]
    loop = asyncio.get_running_loop()

    async def listen(listener, tls_context=None, implicit_tls=None, **smtp):
        def factory():
            return SMTP(handler, hostname="xun-test-smtp", tls_context=tls_context,
                        auth_required=True, authenticator=accounts.authenticator(listener),
                        auth_exclude_mechanism=excluded, **smtp)
        server = await loop.create_server(factory, "127.0.0.1", 0, ssl=implicit_tls)
        return server, server.sockets[0].getsockname()[1]

    servers, ports = [], {}
    if args.no_starttls:
        server, ports["plain"] = await listen("plain", auth_require_tls=False)
        servers.append(server)
    else:
        cert, key = make_certificates(os.path.join(args.dir, "certs"), args.san)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        server, ports["starttls"] = await listen("starttls", tls_context=context,
                                                 require_starttls=True)
        servers.append(server)
        server, ports["smtps"] = await listen("smtps", implicit_tls=context,
                                              auth_require_tls=False)
        servers.append(server)
    print(json.dumps(ports), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--mechanism", choices=["PLAIN", "LOGIN"])
    parser.add_argument("--no-starttls", action="store_true")
    parser.add_argument("--san", default="IP:127.0.0.1,DNS:localhost")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
