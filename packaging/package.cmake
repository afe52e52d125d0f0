# The Debian package (`cpack -G DEB` in the build directory): xun in
# /usr/bin, its data in /usr/share/xun, the systemd unit, /etc/default/xun;
# the maintainer scripts add the xun user and a first admin token.
include(GNUInstallDirs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/holidays ${PROJECT_SOURCE_DIR}/data/plans
        DESTINATION ${CMAKE_INSTALL_DATADIR}/xun)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/xun.service DESTINATION /lib/systemd/system) # Debian 12
install(FILES ${CMAKE_CURRENT_LIST_DIR}/xun.default DESTINATION /etc/default RENAME xun)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/OPERATIONS.md
              ${PROJECT_SOURCE_DIR}/docs/LIMITS.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME xun)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Xun maintainers <xun@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "yearly work plans scheduled and published as calendars")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Xun (旬) reads a year's plan of meetings and duties, places each on a working day\n\
and publishes the schedule as calendar feeds and a month-by-month page.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # xun_VERSION_ARCH.deb
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends from the libraries xun links
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/postinst ${CMAKE_CURRENT_LIST_DIR}/prerm
    ${CMAKE_CURRENT_LIST_DIR}/postrm ${CMAKE_CURRENT_LIST_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# /etc/default is outside the prefix on purpose.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)
include(CPack)
