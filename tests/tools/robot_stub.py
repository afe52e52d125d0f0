#!/usr/bin/env python3
"""A stand-in for the group robots and a webhook receiver, for Xun's tests.

Serves, on 127.0.0.1, one HTTP server (threaded) with four kinds of path,
told apart by their first segment (anything may follow: /wecom/2, /feishu/hook/T):

  /wecom…     WeCom 群机器人      {"msgtype":"text","text":{"content", "mentioned_mobile_list"?}}
  /dingtalk…  DingTalk 自定义机器人 {"msgtype":"text","text":{"content"},"at":{"atMobiles","isAtAll"}}
              signed (when --secret gives it a secret) with ?timestamp=MS&sign=…:
              Base64(HMAC-SHA256(key=secret, msg=timestamp+"\\n"+secret)), URL-encoded
  /feishu…    Feishu 自定义机器人  {"msg_type":"text","content":{"text"}, "timestamp"?, "sign"?}
              signed in the body: Base64(HMAC-SHA256(key=timestamp+"\\n"+secret, msg=""))
  /webhook…   Standard Webhooks  headers webhook-id, webhook-timestamp and
              webhook-signature "v1,<Base64(HMAC-SHA256(key, id.timestamp.body))>",
              the key being the Base64 after "whsec_" or else the secret's bytes;
              body {"type": "xun.…", "timestamp", "data": {…}}

Each request's body shape is checked, then its signature recomputed (when its
path has a secret); a bad shape or signature is answered as the real robot
answers (DingTalk errcode 310000, Feishu code 19021, WeCom errcode 40008,
webhook 401/400) and is not recorded. Otherwise the path's next scripted reply
is given; every request answered with success is appended to the log (JSONL),
before any scripted delay:
  {"seq", "time", "path", "kind", "query": {…}, "headers": {webhook-*…}, "body": {…}}

Usage:
  robot_stub.py --port 0 --log FILE [--script FILE] [--secret PATH=SECRET]…
                [--max-skew SECONDS] [--host 127.0.0.1]
  --port 0     picks a free port; the port is printed on stdout as its first line
  --secret     /dingtalk=SECabc… gives every path starting /dingtalk that secret
               (the longest matching prefix wins); a path without one is not checked
  --max-skew   refuse signatures whose timestamp is further than this from now
               (the real robots allow 1 h; off by default, as tests inject clocks)
  --script     a JSON object from path to a list of replies, used in order; a
               path without a list (exact path, then "/<kind>", then "*") or whose
               list is used up answers "ok". The file is read again whenever it
               changes (and the lists start over), so a test may change course.

A reply is a name or an object:
  "ok"            success: {"errcode":0,"errmsg":"ok"} / Feishu {"code":0,…} / webhook 200
  "rate_limit"    WeCom 45009, DingTalk 130101, Feishu 11232, webhook 429 + Retry-After: 7
  "server_error"  HTTP 503
  "bad_key"       WeCom 93000, DingTalk 300001, Feishu 19001, webhook 404
  "keyword"       DingTalk 310000 (keyword missing), Feishu 19024, WeCom 40058, webhook 400
  "bad_signature" as a wrong signature is answered: DingTalk 310000, Feishu 19021,
                  webhook 401 (WeCom, which does not sign: 93000)
  "unreadable"    HTTP 200 with a body that is not JSON
  "slow"          "ok" after 3 s
  {"reply": NAME, "status": 200, "body": {…} or "text", "headers": {…}, "delay_ms": 0}
                  NAME (default "ok") with any of the rest replaced
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KINDS = ("wecom", "dingtalk", "feishu", "webhook")
MAX_BODY = 1 << 20

OK = {
    "wecom": (200, {"errcode": 0, "errmsg": "ok"}),
    "dingtalk": (200, {"errcode": 0, "errmsg": "ok"}),
    "feishu": (200, {"code": 0, "msg": "success", "data": {}}),
    "webhook": (200, {"ok": True}),
}
NAMED = {
    "rate_limit": {
        "wecom": (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
        "dingtalk": (200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}),
        "feishu": (200, {"code": 11232, "msg": "frequency limited", "data": {}}),
        "webhook": (429, "slow down"),
    },
    "bad_key": {
        "wecom": (200, {"errcode": 93000, "errmsg": "invalid webhook url"}),
        "dingtalk": (200, {"errcode": 300001, "errmsg": "token is not exist"}),
        "feishu": (200, {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}),
        "webhook": (404, "no such hook"),
    },
    "keyword": {
        "wecom": (200, {"errcode": 40058, "errmsg": "markdown.content exceed max length"}),
        "dingtalk": (200, {"errcode": 310000, "errmsg": "keywords not in content"}),
        "feishu": (200, {"code": 19024, "msg": "Key Words Not Found", "data": {}}),
        "webhook": (400, "missing keyword"),
    },
}
BAD_SIGN = {
    "dingtalk": (200, {"errcode": 310000, "errmsg": "sign not match"}),
    "feishu": (200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}),
    "webhook": (401, "bad signature"),
}
NAMED["bad_signature"] = dict(BAD_SIGN, wecom=(200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
BAD_SHAPE = {
    "wecom": (200, {"errcode": 40008, "errmsg": "invalid message type"}),
    "dingtalk": (200, {"errcode": 40035, "errmsg": "缺少参数 json"}),
    "feishu": (200, {"code": 9499, "msg": "Bad Request", "data": {}}),
    "webhook": (400, "bad body"),
}


def is_success(kind, status, body):
    if not 200 <= status < 300:
        return False
    if kind == "webhook":
        return True
    field = "code" if kind == "feishu" else "errcode"
    return isinstance(body, dict) and body.get(field) == 0


class Script:
    """Per-path reply lists, read again when the file changes."""

    def __init__(self, path):
        self.path = path
        self.mtime = None
        self.lists = {}
        self.lock = threading.Lock()

    def _reload(self):
        if not self.path:
            return
        try:
            mtime = os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if mtime == self.mtime:
            return
        self.mtime = mtime
        self.lists = {}
        if mtime is not None:
            with open(self.path, encoding="utf-8") as f:
                self.lists = {k: list(v) for k, v in json.load(f).items()}

    def next_reply(self, path, kind):
        with self.lock:
            self._reload()
            for key in (path, "/" + kind, "*"):
                if key in self.lists:
                    replies = self.lists[key]
                    return replies.pop(0) if replies else "ok"
            return "ok"


def resolve(reply, kind):
    """(status, body, headers, delay_ms) for a scripted reply."""
    if isinstance(reply, str):
        reply = {"reply": reply}
    name = reply.get("reply", "ok")
    headers = {}
    delay_ms = 0
    if name == "ok":
        status, body = OK[kind]
    elif name == "slow":
        (status, body), delay_ms = OK[kind], 3000
    elif name == "server_error":
        status, body = 503, "service unavailable"
    elif name == "unreadable":
        status, body = 200, "<html>not json</html>"
    elif name in NAMED:
        status, body = NAMED[name][kind]
        if name == "rate_limit" and kind == "webhook":
            headers["Retry-After"] = "7"
    else:
        raise ValueError("unknown reply %r" % name)
    status = reply.get("status", status)
    body = reply.get("body", body)
    headers.update(reply.get("headers", {}))
    delay_ms = reply.get("delay_ms", delay_ms)
    return status, body, headers, delay_ms


def b64_hmac(key, message):
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def fresh(timestamp_seconds, max_skew):
    return max_skew is None or abs(time.time() - timestamp_seconds) <= max_skew


def check_shape(kind, body):
    """None when the body has the robot's shape, else what is wrong."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    if kind == "wecom":
        text = body.get("text")
        if body.get("msgtype") != "text" or not isinstance(text, dict):
            return "msgtype must be text with a text object"
        if not isinstance(text.get("content"), str) or not text["content"]:
            return "text.content must be a non-empty string"
        if len(text["content"].encode()) > 2048:
            return "text.content over 2048 bytes"
        mobiles = text.get("mentioned_mobile_list", [])
        if not isinstance(mobiles, list) or not all(isinstance(m, str) for m in mobiles):
            return "mentioned_mobile_list must be a list of strings"
    elif kind == "dingtalk":
        text, at = body.get("text"), body.get("at", {})
        if body.get("msgtype") != "text" or not isinstance(text, dict) or not isinstance(text.get("content"), str):
            return "msgtype must be text with text.content"
        mobiles = at.get("atMobiles", [])
        if not isinstance(mobiles, list) or not all(isinstance(m, str) for m in mobiles):
            return "at.atMobiles must be a list of strings"
        for m in mobiles:
            if "@" + m not in text["content"]:
                return "@%s is in atMobiles but not in the content" % m
    elif kind == "feishu":
        content = body.get("content")
        if body.get("msg_type") != "text" or not isinstance(content, dict) or not isinstance(content.get("text"), str):
            return "msg_type must be text with content.text"
        if len(json.dumps(body).encode()) > 20 * 1024:
            return "body over 20 KB"
    elif kind == "webhook":
        if not isinstance(body.get("type"), str) or not body["type"].startswith("xun."):
            return "type must be xun.…"
        if not isinstance(body.get("timestamp"), str) or not isinstance(body.get("data"), dict):
            return "timestamp (string) and data (object) are required"
    return None


def check_signature(kind, secret, query, headers, raw, body, max_skew):
    """None when the signature is right (or the path has no secret), else what is wrong."""
    if secret is None:
        return None
    if kind == "dingtalk":
        ts, sign = query.get("timestamp"), query.get("sign")
        if not ts or not sign:
            return "timestamp and sign are missing"
        if not fresh(int(ts) / 1000, max_skew):
            return "timestamp too far from now"
        expected = b64_hmac(secret.encode(), (ts + "\n" + secret).encode())
        return None if hmac.compare_digest(expected, sign) else "sign does not match"
    if kind == "feishu":
        ts, sign = body.get("timestamp"), body.get("sign")
        if not isinstance(ts, str) or not isinstance(sign, str):
            return "timestamp and sign are missing from the body"
        if not fresh(int(ts), max_skew):
            return "timestamp too far from now"
        expected = b64_hmac((ts + "\n" + secret).encode(), b"")
        return None if hmac.compare_digest(expected, sign) else "sign does not match"
    if kind == "webhook":
        wid, ts, sig = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
        if not wid or not ts or not sig:
            return "webhook-id, webhook-timestamp and webhook-signature are required"
        if not fresh(int(ts), max_skew):
            return "timestamp too far from now"
        key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
        expected = "v1," + b64_hmac(key, wid.encode() + b"." + ts.encode() + b"." + raw)
        given = sig.split(" ")
        return None if any(hmac.compare_digest(expected, s) for s in given) else "signature does not match"
    return None


class Stub:
    def __init__(self, args):
        self.script = Script(args.script)
        self.secrets = dict(s.split("=", 1) for s in args.secret)
        self.max_skew = args.max_skew
        self.log_path = args.log
        self.log_lock = threading.Lock()
        self.seq = 0

    def secret_for(self, path):
        matches = [p for p in self.secrets if path.startswith(p)]
        return self.secrets[max(matches, key=len)] if matches else None

    def record(self, entry):
        with self.log_lock:
            self.seq += 1
            entry = dict(entry, seq=self.seq, time=time.time())
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def make_handler(stub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("robot_stub: " + (fmt % args) + "\n")

        def answer(self, status, body, headers=None):
            data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
            data = data.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8" if not isinstance(body, str) else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer(200, "robot_stub")

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            path = url.path
            kind = next((k for k in KINDS if path.startswith("/" + k)), None)
            length = int(self.headers.get("Content-Length", "0"))
            if length > MAX_BODY:
                self.answer(413, "too large")
                return
            raw = self.rfile.read(length)
            if kind is None:
                self.answer(404, "no robot at " + path)
                return
            query = dict(urllib.parse.parse_qsl(url.query))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            problem = check_shape(kind, body)
            if problem:
                sys.stderr.write("robot_stub: %s: bad body: %s\n" % (path, problem))
                self.answer(*BAD_SHAPE[kind])
                return
            problem = check_signature(kind, stub.secret_for(path), query, headers, raw, body, stub.max_skew)
            if problem:
                sys.stderr.write("robot_stub: %s: bad signature: %s\n" % (path, problem))
                self.answer(*BAD_SIGN[kind])
                return
            status, reply_body, reply_headers, delay_ms = resolve(stub.script.next_reply(path, kind), kind)
            if is_success(kind, status, reply_body):
                stub.record({
                    "path": path, "kind": kind, "query": query,
                    "headers": {k: v for k, v in headers.items() if k.startswith("webhook-")},
                    "body": body,
                })
            if delay_ms:
                time.sleep(delay_ms / 1000)
            try:
                self.answer(status, reply_body, reply_headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

    return Handler


def main():
    parser = argparse.ArgumentParser(description="Group robot and webhook stub for Xun's tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", default=None, help="JSONL file of accepted messages")
    parser.add_argument("--script", default=None, help="JSON file of replies per path")
    parser.add_argument("--secret", action="append", default=[], help="PATH_PREFIX=SECRET")
    parser.add_argument("--max-skew", type=float, default=None)
    args = parser.parse_args()
    stub = Stub(args)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(stub))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
