#include "notify/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace xun::notify {

namespace {

constexpr std::size_t max_answer_bytes = 64 * 1024;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

struct HandleDeleter {
  void operator()(CURL *handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
  void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};
using Handle = std::unique_ptr<CURL, HandleDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

List make_list(const std::vector<std::string> &items) {
  curl_slist *list = nullptr;
  for (const auto &item : items) {
    curl_slist *longer = curl_slist_append(list, item.c_str());
    if (longer == nullptr) {
      curl_slist_free_all(list);
      throw std::bad_alloc();
    }
    list = longer;
  }
  return List(list);
}

// Keeps the first 64 KiB of what comes; the rest is read and dropped, so a
// far end that answers without end cannot fill memory.
std::size_t keep_answer(char *data, std::size_t size, std::size_t count, void *user) {
  auto &answer = *static_cast<std::string *>(user);
  const std::size_t n = size * count;
  if (answer.size() < max_answer_bytes)
    answer.append(data, std::min(n, max_answer_bytes - answer.size()));
  return n;
}

struct RetryAfter {
  std::int64_t now_seconds;
  std::optional<int> seconds;
};

// Retry-After: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
std::size_t read_header(char *data, std::size_t size, std::size_t count, void *user) {
  auto &retry = *static_cast<RetryAfter *>(user);
  const std::size_t n = size * count;
  std::string line(data, n);
  static constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size() && strncasecmp(line.c_str(), name.data(), name.size()) == 0) {
    std::string value = line.substr(name.size());
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    if (!value.empty() && value.size() <= 6 &&
        value.find_first_not_of("0123456789") == std::string::npos) {
      retry.seconds = std::stoi(value);
    } else if (const time_t at = curl_getdate(value.c_str(), nullptr); at > 0) {
      retry.seconds = static_cast<int>(std::clamp<std::int64_t>(at - retry.now_seconds, 0, 86400));
    }
  }
  return n;
}

// SMTP replies arrive as "header in" lines in libcurl's debug stream; the last
// reply (possibly several lines) is what the server said.
struct SmtpReplies {
  std::string last;
  bool continuing = false;
};

int keep_smtp_reply(CURL *, curl_infotype type, char *data, std::size_t size, void *user) {
  if (type != CURLINFO_HEADER_IN)
    return 0;
  auto &replies = *static_cast<SmtpReplies *>(user);
  std::string line(data, size);
  if (!replies.continuing)
    replies.last.clear();
  replies.last += line;
  // "250-…" continues, "250 …" ends the reply.
  replies.continuing = line.size() > 3 && line[3] == '-';
  if (replies.last.size() > max_answer_bytes)
    replies.last.resize(max_answer_bytes);
  return 0;
}

// XUN_CA_FILE: an organisation's own CA (a PEM bundle) trusted instead of the
// system's; read on every exchange, so a changed setting needs no restart.
// Verification itself stays on (libcurl's default) whatever is set.
void trust_ca_file(CURL *h) {
  const char *ca_file = std::getenv("XUN_CA_FILE");
  if (ca_file == nullptr || *ca_file == '\0')
    return;
  curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
  curl_easy_setopt(h, CURLOPT_CAPATH, nullptr); // not /etc/ssl/certs beside it
}

Handle new_handle(std::chrono::milliseconds timeout, char *error_buffer) {
  global_init_once();
  Handle handle(curl_easy_init());
  if (!handle)
    throw std::runtime_error("curl_easy_init failed");
  CURL *h = handle.get();
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  trust_ca_file(h);
  return handle;
}

Failure failure_of(CURLcode code) {
  switch (code) {
  case CURLE_OK:
    return Failure::none;
  case CURLE_OPERATION_TIMEDOUT:
    return Failure::timed_out;
  case CURLE_PEER_FAILED_VERIFICATION: // an unknown issuer, a name that does not match, expired
    return Failure::certificate;
  case CURLE_SSL_CACERT_BADFILE:
    return Failure::ca_file;
  case CURLE_USE_SSL_FAILED:
    return Failure::no_starttls;
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_LOGIN_DENIED:
    return Failure::hopeless;
  default:
    return Failure::network;
  }
}

Exchange finish(CURL *h, CURLcode code, const char *error_buffer) {
  Exchange exchange;
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  exchange.status = static_cast<int>(status);
  exchange.reached = code == CURLE_OK;
  exchange.why = failure_of(code);
  if (code != CURLE_OK)
    exchange.failure = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  // OpenSSL reading a plain-text greeting as a TLS record: not a passing
  // network fault but a URL naming TLS on a port without it.
  if (code == CURLE_SSL_CONNECT_ERROR &&
      exchange.failure.find("wrong version number") != std::string::npos)
    exchange.why = Failure::not_tls;
  return exchange;
}

} // namespace

Exchange http_post(const std::string &url, const std::vector<std::string> &headers,
                   const std::string &body, std::chrono::milliseconds timeout,
                   std::int64_t now_seconds) {
  char error_buffer[CURL_ERROR_SIZE] = {};
  auto handle = new_handle(timeout, error_buffer);
  CURL *h = handle.get();
  auto header_list = make_list(headers);
  std::string answer;
  RetryAfter retry{now_seconds, std::nullopt};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "xun-notify/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &retry);
  const CURLcode code = curl_easy_perform(h);
  auto exchange = finish(h, code, error_buffer);
  exchange.answer = std::move(answer);
  exchange.retry_after_seconds = retry.seconds;
  return exchange;
}

namespace {

struct Upload {
  const std::string &data;
  std::size_t sent = 0;
};

std::size_t read_upload(char *buffer, std::size_t size, std::size_t count, void *user) {
  auto &upload = *static_cast<Upload *>(user);
  const std::size_t n = std::min(size * count, upload.data.size() - upload.sent);
  std::memcpy(buffer, upload.data.data() + upload.sent, n);
  upload.sent += n;
  return n;
}

} // namespace

Exchange smtp_send(const SmtpSubmission &submission, std::chrono::milliseconds timeout) {
  char error_buffer[CURL_ERROR_SIZE] = {};
  auto handle = new_handle(timeout, error_buffer);
  CURL *h = handle.get();
  auto recipients = make_list(submission.recipients);
  Upload upload{submission.data};
  SmtpReplies replies;
  curl_easy_setopt(h, CURLOPT_URL, submission.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // smtp://: STARTTLS when the server offers it (port 587 servers do), and
  // required when there is a password to send; smtps:// is TLS throughout.
  curl_easy_setopt(
      h, CURLOPT_USE_SSL,
      static_cast<long>(submission.password.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL));
  if (!submission.username.empty())
    curl_easy_setopt(h, CURLOPT_USERNAME, submission.username.c_str());
  if (!submission.password.empty())
    curl_easy_setopt(h, CURLOPT_PASSWORD, submission.password.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, ("<" + submission.from + ">").c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
#if CURL_AT_LEAST_VERSION(8, 2, 0)
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLOWFAILS, 1L);
#else
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L); // sic: libcurl 7.88's spelling
#endif
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(submission.data.size()));
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); // only to read the replies; nothing is printed
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, keep_smtp_reply);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &replies);
  const CURLcode code = curl_easy_perform(h);
  auto exchange = finish(h, code, error_buffer);
  exchange.answer = replies.last;
  return exchange;
}

} // namespace xun::notify
