#!/usr/bin/python3
"""Reads one e-mail as a mail client would (Python's email package) and prints
what Xun's tests check, as JSON: the decoded Subject, From, To, Date and
Message-ID, the text part decoded, and each attachment's content type, its
parameters and filename; with --save-attachments DIR each attachment is
written there under its filename.

Usage: read_mail.py FILE.eml [--save-attachments DIR]
"""
import email
import email.policy
import json
import os
import sys


def main(argv):
    with open(argv[1], "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    out = {
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "to": [a.addr_spec for a in message["To"].addresses],
        "to_names": [a.display_name for a in message["To"].addresses],
        "date": str(message["Date"]),
        "message_id": str(message["Message-ID"]),
        "content_type": message.get_content_type(),
        "text": None,
        "attachments": [],
    }
    for part in message.iter_parts():
        if part.get_content_type() == "text/plain" and not part.is_attachment():
            out["text"] = part.get_content()
        elif part.is_attachment():
            params = dict(part["Content-Type"].params)
            out["attachments"].append({"content_type": part.get_content_type(),
                                       "params": params, "filename": part.get_filename()})
            if len(argv) == 4 and argv[2] == "--save-attachments":
                with open(os.path.join(argv[3], part.get_filename()), "wb") as f:
                    f.write(part.get_payload(decode=True))
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv)
