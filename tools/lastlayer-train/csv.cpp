#include "csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace lastlayer_train {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

// The whole field as a number (strtod also takes "nan" and "inf"; those are rejected later).
bool parse_number(const std::string& field, double* value) {
  if (field.empty()) return false;
  errno = 0;
  char* end = nullptr;
  *value = std::strtod(field.c_str(), &end);
  return end == field.c_str() + field.size() && errno != ERANGE;
}

std::string quoted(const std::string& field) {
  return field.empty() ? std::string("an empty field") : "\"" + field + "\"";
}

}  // namespace

std::string CsvError::describe() const {
  std::ostringstream out;
  out << path;
  if (line > 0) out << ':' << line;
  if (column > 0) out << ':' << column;
  out << ": " << message;
  return out.str();
}

bool read_csv(const std::string& path, std::size_t expected_inputs, std::uint32_t label_limit,
              const std::string& label_limit_reason, LabelledData* data, CsvError* error) {
  *data = LabelledData();
  error->path = path;
  auto fail = [error](std::size_t line, std::size_t column, std::string message) {
    error->line = line;
    error->column = column;
    error->message = std::move(message);
    return false;
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(0, 0, "cannot open the file");

  std::string text;
  std::size_t line_number = 0;
  std::size_t first_line = 0;  // the line that fixed the number of columns
  while (std::getline(in, text)) {
    ++line_number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (trim(text).empty()) continue;
    const std::vector<std::string> fields = split_fields(text);
    if (data->samples == 0 && expected_inputs == 0) {
      if (fields.size() < 2) {
        return fail(line_number, 0,
                    "a line needs a label and at least one feature; found " +
                        std::to_string(fields.size()) + " column");
      }
      data->inputs = fields.size() - 1;
      first_line = line_number;
    } else if (data->samples == 0) {
      data->inputs = expected_inputs;
    }
    if (fields.size() != data->inputs + 1) {
      std::string where =
          first_line > 0 ? "as on line " + std::to_string(first_line) : "as in the training file";
      // The column of the first missing or the first extra field.
      const std::size_t column =
          (fields.size() < data->inputs + 1 ? fields.size() : data->inputs + 1) + 1;
      return fail(line_number, column,
                  std::to_string(fields.size()) + " columns, expected " +
                      std::to_string(data->inputs + 1) + " (a label and " +
                      std::to_string(data->inputs) + " features, " + where + ")");
    }
    double label = 0.0;
    if (!parse_number(fields[0], &label) || !std::isfinite(label)) {
      return fail(line_number, 1, "the label " + quoted(fields[0]) + " is not a number");
    }
    if (label != std::floor(label)) {
      return fail(line_number, 1, "the label " + fields[0] + " is not an integer");
    }
    if (label < 0.0 || label >= static_cast<double>(label_limit)) {
      return fail(line_number, 1,
                  "the label " + fields[0] + " is out of range: labels are 0 to " +
                      std::to_string(label_limit - 1) + " (" + label_limit_reason + ")");
    }
    const auto k = static_cast<std::uint32_t>(label);
    for (std::size_t j = 1; j < fields.size(); ++j) {
      double v = 0.0;
      if (!parse_number(fields[j], &v)) {
        return fail(line_number, j + 1, quoted(fields[j]) + " is not a number");
      }
      if (!std::isfinite(v)) {
        return fail(line_number, j + 1, quoted(fields[j]) + " is not a finite number");
      }
      data->features.push_back(v);
    }
    data->labels.push_back(k);
    if (k > data->max_label) data->max_label = k;
    ++data->samples;
  }
  if (in.bad()) return fail(0, 0, "read error");
  if (data->samples == 0) {
    if (line_number == 0) return fail(1, 1, "the file is empty: no sample");
    return fail(0, 0, "the file holds no sample, only blank lines");
  }
  return true;
}

}  // namespace lastlayer_train
