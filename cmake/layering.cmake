# The dependency direction, checked when CMake configures: each module may
# include its own headers, those of the modules below it, and only the
# outside libraries listed for it. calendar ← scheduler ← store ← service ← http ← app,
# and notify (delivery channels) beside store: calendar ← scheduler ← notify ← service
set(XUN_LAYER_calendar "calendar")
set(XUN_LAYER_scheduler "calendar;scheduler")
set(XUN_LAYER_store "calendar;scheduler;store")
set(XUN_LAYER_notify "calendar;scheduler;notify")
set(XUN_LAYER_service "calendar;scheduler;store;notify;service")
set(XUN_LAYER_http "calendar;scheduler;store;notify;service;http")
set(XUN_LAYER_app "calendar;scheduler;store;notify;service;http;app")
# Outside headers that belong to one module (or a few), never to others.
set(XUN_EXTERNAL_libical "calendar;scheduler") # scheduler: rrule expansion (occurrences.cpp)
set(XUN_EXTERNAL_sqlite3 "store")
set(XUN_EXTERNAL_libpq-fe "store")
set(XUN_EXTERNAL_httplib "http")
set(XUN_EXTERNAL_nlohmann "calendar;scheduler;store;notify;http;app")
set(XUN_EXTERNAL_yaml-cpp "scheduler")
set(XUN_EXTERNAL_boost "scheduler")
set(XUN_EXTERNAL_zlib "http") # compressed.cpp
set(XUN_EXTERNAL_openssl "service;notify") # secrets.cpp: SHA-256, RAND_bytes; notify: HMAC signatures
set(XUN_EXTERNAL_curl "notify") # HTTP and SMTP delivery (notify/transport.cpp, email.cpp)

function(xun_check_layering)
  set(modules calendar scheduler store notify service http app)
  foreach(module ${modules})
    file(GLOB files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${module}/*.cpp
         ${PROJECT_SOURCE_DIR}/${module}/*.hpp)
    foreach(file ${files})
      file(STRINGS ${file} includes REGEX "^#include [<\"]")
      foreach(line ${includes})
        if(line MATCHES "^#include \"([a-z]+)/")
          set(used ${CMAKE_MATCH_1})
          if(used IN_LIST modules AND NOT used IN_LIST XUN_LAYER_${module})
            message(FATAL_ERROR "${file}: ${module}/ may not include ${used}/ (${line}); "
                                "dependencies point calendar ← scheduler ← store ← service ← http ← app, "
                                "notify between scheduler and service")
          endif()
        endif()
        foreach(external libical sqlite3 libpq-fe httplib nlohmann yaml-cpp boost openssl zlib curl)
          if(line MATCHES "^#include <${external}[./]" AND NOT module IN_LIST XUN_EXTERNAL_${external})
            message(FATAL_ERROR "${file}: ${module}/ may not include ${external} (${line})")
          endif()
        endforeach()
      endforeach()
    endforeach()
  endforeach()
endfunction()
