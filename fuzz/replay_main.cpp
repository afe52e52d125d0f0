// The standalone driver of the GCC build: feeds each file named (or each file
// of each directory named) to the harness's LLVMFuzzerTestOneInput, so ctest
// replays the corpora and every past crasher without Clang or libFuzzer.
#include "harness.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path &arg) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(arg)) {
    for (const auto &entry : std::filesystem::directory_iterator(arg))
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
        files.push_back(entry.path());
    std::sort(files.begin(), files.end()); // the same order every run
  } else {
    files.push_back(arg);
  }
  return files;
}

} // namespace

int main(int argc, char **argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::filesystem::exists(argv[i])) {
      std::cerr << "replay: " << argv[i] << ": no such file or directory\n";
      return 2;
    }
    for (const auto &file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), {}};
      // Named before the run: a crash leaves the file that caused it last on stderr.
      std::cerr << "replay: " << file.string() << " (" << bytes.size() << " bytes)\n";
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  std::cout << "replayed " << replayed << " inputs\n";
  return 0;
}
