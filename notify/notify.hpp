// The notify module's whole interface: channels (channel.hpp), messages and
// their composition (message.hpp), sending (send.hpp), backoff and rate
// limits (pacing.hpp). docs/EXTENSIONS.md, "Delivery channels", says what
// each channel is sent and what counts as success.
#pragma once

#include "notify/channel.hpp"
#include "notify/message.hpp"
#include "notify/pacing.hpp"
#include "notify/send.hpp"
