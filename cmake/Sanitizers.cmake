# With LASTLAYER_SANITIZE, every target (library, tests, examples) is built and linked with
# AddressSanitizer and UndefinedBehaviorSanitizer, and any UB report fails the program.
if(LASTLAYER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Instrumented, the kernels' eight written-out row lengths take minutes to compile (dense.hpp).
  add_compile_definitions(LASTLAYER_SHORT_ROW_VECTORS=2)
endif()
