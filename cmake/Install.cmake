# `cmake --install` places the headers, the library, a CMake package (lastlayerConfig.cmake and
# its version file, target lastlayer::lastlayer) and a pkg-config file lastlayer.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(LASTLAYER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/lastlayer
    CACHE STRING "Where lastlayerConfig.cmake is installed, relative to the prefix")
set(LASTLAYER_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig
    CACHE STRING "Where lastlayer.pc is installed, relative to the prefix")

install(TARGETS lastlayer
  EXPORT lastlayerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/lastlayer
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(EXPORT lastlayerTargets
  NAMESPACE lastlayer::
  DESTINATION ${LASTLAYER_INSTALL_CMAKEDIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/lastlayerConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lastlayerConfig.cmake
  INSTALL_DESTINATION ${LASTLAYER_INSTALL_CMAKEDIR})
# 0.x releases may break the API between minor versions, so only the same minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lastlayerConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lastlayerConfig.cmake
              ${PROJECT_BINARY_DIR}/lastlayerConfigVersion.cmake
  DESTINATION ${LASTLAYER_INSTALL_CMAKEDIR})

# The .pc file finds the prefix from its own location, so an installed tree can be moved.
file(RELATIVE_PATH LASTLAYER_PC_TO_PREFIX
  /prefix/${LASTLAYER_INSTALL_PKGCONFIGDIR} /prefix)
string(REGEX REPLACE "/$" "" LASTLAYER_PC_TO_PREFIX "${LASTLAYER_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/lastlayer.pc.in ${PROJECT_BINARY_DIR}/lastlayer.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/lastlayer.pc DESTINATION ${LASTLAYER_INSTALL_PKGCONFIGDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/lastlayer)
