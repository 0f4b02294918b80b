add_library(zenolint_warnings INTERFACE)
target_compile_options(zenolint_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(ZENOLINT_WERROR)
  target_compile_options(zenolint_warnings INTERFACE -Werror)
endif()
