# cmake -DNAME=n -DINPUT=file.bin -DOUTPUT=file.cpp -P embed_guest.cmake
# Writes a C++ source that holds the guest image as bytes, so that programs carry their guests.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" length)
math(EXPR size "${length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(([^,]*,){16})" "\\1\n    " bytes "${bytes}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by scenarios/embed_guest.cmake.\n"
  "#include \"scenarios/guest_images.hpp\"\n\n"
  "namespace scenarios {\nnamespace {\nconstexpr unsigned char bytes[] = {\n    ${bytes}\n};\n}\n"
  "std::span<unsigned char const> guest_${NAME}() { return {bytes, ${size}}; }\n}\n")
