# Keeps only the first rule of a rustc dep-info file (its output and sources), which is what a
# Make/Ninja depfile may hold: rustc adds a rule for the .d file itself and `# env-dep:` lines.
#   cmake -DIN=rustc.d -DOUT=file.d -P wp_rust_depfile.cmake
cmake_minimum_required(VERSION 3.16)
file(STRINGS "${IN}" lines)
list(GET lines 0 first)
file(WRITE "${OUT}" "${first}\n")
