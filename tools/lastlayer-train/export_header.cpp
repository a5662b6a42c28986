#include "export_header.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace lastlayer_train {
namespace {

// A float literal that reads back as exactly v: 9 significant digits, and always a '.' or an
// exponent so that the `f` suffix is legal C.
std::string literal(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

void float_array(std::ostream& out, const std::vector<float>& v, const char* indent) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    out << (i % 6 == 0 ? indent : " ") << literal(v[i]) << (i + 1 < v.size() ? "," : "");
    if (i % 6 == 5 || i + 1 == v.size()) out << "\n";
  }
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool write_header(const std::string& path, const RuntimeModel& model, const HeaderContents& c,
                  std::string* error) {
  const std::string& n = c.name;
  const std::string unused = upper(n) + "_UNUSED";
  const std::size_t d = model.inputs(), k_count = model.classes();
  std::ostringstream out;
  out << "/* " << n << ": a soft-max classifier trained by lastlayer-train.\n"
      << " * " << c.provenance << "\n"
      << " *\n"
      << " * Scale each raw feature as in training before predicting or training further:\n"
      << " *   x[j] = (raw[j] - " << n << "_mean[j]) / " << n << "_scale[j]\n"
      << " * Load the model from C:\n"
      << " *   static LASTLAYER_MODEL_STORAGE(storage, " << upper(n) << "_INPUTS, " << upper(n)
      << "_CLASSES);\n"
      << " *   lastlayer_init(storage, sizeof storage, " << upper(n) << "_INPUTS, " << upper(n)
      << "_CLASSES, &model);\n"
      << " *   lastlayer_load(model, " << n << "_checkpoint, sizeof " << n << "_checkpoint);\n"
      << " * or from C++, into a lastlayer::Classifier<" << upper(n) << "_INPUTS, " << upper(n)
      << "_CLASSES>:\n"
      << " *   model.load(" << n << "_checkpoint, sizeof " << n << "_checkpoint);\n"
      << " * The weights are also given as arrays, W[k][j] for class k and feature j. */\n"
      << "#ifndef " << upper(n) << "_H\n"
      << "#define " << upper(n) << "_H\n\n"
      << "#define " << upper(n) << "_INPUTS " << d << "\n"
      << "#define " << upper(n) << "_CLASSES " << k_count << "\n"
      << "#define " << upper(n) << "_STANDARDIZED " << (c.standardized ? 1 : 0) << "\n\n"
      << "/* Firmware may use only some of these arrays; no warning for the others. */\n"
      << "#if defined(__GNUC__) || defined(__clang__)\n"
      << "#define " << unused << " __attribute__((unused))\n"
      << "#else\n"
      << "#define " << unused << "\n"
      << "#endif\n\n";

  std::vector<float> values(c.mean.begin(), c.mean.end());
  out << "static const float " << n << "_mean[" << d << "] " << unused << " = {\n";
  float_array(out, values, "    ");
  out << "};\n";
  values.assign(c.scale.begin(), c.scale.end());
  out << "static const float " << n << "_scale[" << d << "] " << unused << " = {\n";
  float_array(out, values, "    ");
  out << "};\n";
  out << "static const float " << n << "_weights[" << k_count << "][" << d << "] " << unused
      << " = {\n";
  for (std::size_t k = 0; k < k_count; ++k) {
    values.clear();
    for (std::size_t j = 0; j < d; ++j) values.push_back(model.weight(k, j));
    out << "  {\n";
    float_array(out, values, "    ");
    out << "  }" << (k + 1 < k_count ? "," : "") << "\n";
  }
  out << "};\n";
  values.clear();
  for (std::size_t k = 0; k < k_count; ++k) values.push_back(model.bias(k));
  out << "static const float " << n << "_bias[" << k_count << "] " << unused << " = {\n";
  float_array(out, values, "    ");
  out << "};\n";
  out << "static const unsigned char " << n << "_checkpoint[" << c.checkpoint.size() << "] "
      << unused << " = {\n";
  for (std::size_t i = 0; i < c.checkpoint.size(); ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", c.checkpoint[i]);
    out << (i % 12 == 0 ? "    " : " ") << buf << (i + 1 < c.checkpoint.size() ? "," : "");
    if (i % 12 == 11 || i + 1 == c.checkpoint.size()) out << "\n";
  }
  out << "};\n\n#endif /* " << upper(n) << "_H */\n";

  std::ofstream file(path, std::ios::binary);
  file << out.str();
  file.close();
  if (!file) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace lastlayer_train
