// The two exchanges the channels need, over libcurl (which stays in
// transport.cpp): an HTTP POST and an SMTP submission. Each call has its own
// handle, so calls may run on many threads at once. TLS is always verified,
// against the system's CA bundle or, when the environment sets XUN_CA_FILE,
// against that PEM bundle instead (libcurl does not read SSL_CERT_FILE).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace xun::notify {

// Why an exchange came to no answer, as far as it decides what happens next.
enum class Failure {
  none,
  network,     // the connection failed or broke: try again later
  timed_out,   // no answer in time: try again later
  certificate, // the far end's certificate could not be verified (retrying will not mend it)
  ca_file,     // XUN_CA_FILE names no readable PEM bundle
  no_starttls, // a password to send and a server that offers no STARTTLS: not sent in clear
  not_tls,     // smtps:// or https:// to a port that answers in clear: the URL is wrong
  hopeless,    // another failure retrying cannot mend: a bad URL, a refused login
};

// What the exchange came to. `reached` is false when no answer came (the
// connection failed, timed out or broke, or the server refused a command);
// then `why` says what kind of failure and `failure` says it in libcurl's words.
struct Exchange {
  bool reached = false;
  Failure why = Failure::none;
  std::string failure;
  int status = 0;     // HTTP status or the last SMTP reply code
  std::string answer; // the body (first 64 KiB) or the last SMTP reply lines
  std::optional<int> retry_after_seconds;
};

// POSTs `body` to `url` (http or https only; redirects are not followed).
Exchange http_post(const std::string &url, const std::vector<std::string> &headers,
                   const std::string &body, std::chrono::milliseconds timeout,
                   std::int64_t now_seconds);

struct SmtpSubmission {
  std::string url; // smtp:// (STARTTLS when the server offers it) or smtps://
  std::string username;
  std::string password;
  std::string from; // the envelope sender, an address
  std::vector<std::string> recipients;
  std::string data; // the whole message, CRLF line ends
};

// Submits one message; accepted when `reached` and `status` is 250. Recipients
// the server refuses are skipped as long as one accepts.
Exchange smtp_send(const SmtpSubmission &submission, std::chrono::milliseconds timeout);

} // namespace xun::notify
