package io.plainroute.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of the bad-input matrix, read from docs/bad-input.md: the document is the tests' data,
 * so the table and the tests cannot drift. A row is a Markdown table line whose first cell is a
 * row id in backticks; the columns are id, field or action, input, outcome, what the user sees,
 * and which test checks it.
 */
public final class BadInputTable {
  /** Where the table lives, relative to the project root (the tests' working directory). */
  public static final Path DOCUMENT = Path.of("docs/bad-input.md");

  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9-]+)`\\s*\\|");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  private static final Pattern REPEAT = Pattern.compile("\"(.)\\*(\\d+)\"");
  private static final String THEN = "→";

  /** What happens to the input. */
  public enum Outcome {
    /** The API server refuses the write; the message names the field. */
    REFUSED,
    /** The API server stores it and that is fine (a boundary value). */
    ACCEPTED,
    /** Stored, then put back by plainroute. */
    REPAIRED,
    /** Stored, kept, and reported in a condition or an Event. */
    REPORTED
  }

  /**
   * One row.
   *
   * @param id unique, e.g. {@code cn-mtu-575}; its prefix names the object of a schema row
   * @param input the cell as written; for schema rows one JSON merge patch on a valid spec, or two
   *     separated by an arrow (create with the first, then update with the second)
   * @param seen what the user sees; for a refused row the first code span is a part of the message
   * @param test {@code schema} (the input is sent as it stands), {@code api} or {@code controller}
   *     (a scenario of that name in BadInputMatrixIT or BadInputScenariosIT), or {@code Class#method}
   *     below io.plainroute for a case another test already covers
   */
  public record Row(String id, String field, String input, Outcome outcome, String seen, String test) {
    /** The JSON merge patches of a schema row, "x*N" strings expanded to N times x. */
    public List<String> patches() {
      return Arrays.stream(code(input).split(THEN)).map(String::strip).map(BadInputTable::expand).toList();
    }

    /** The part of the API server's message a refused row promises. */
    public Optional<String> messagePart() {
      Matcher m = CODE.matcher(seen);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String toString() {
      return id + " (" + field + ")";
    }
  }

  private BadInputTable() {}

  public static List<Row> rows() {
    try {
      return parse(Files.readAllLines(DOCUMENT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Row> parse(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      Matcher m = ROW.matcher(line);
      if (!m.find()) {
        continue;
      }
      String[] cells = cells(line);
      if (cells.length != 6) {
        throw new IllegalArgumentException("row " + m.group(1) + " has " + cells.length + " cells, not 6: " + line);
      }
      rows.add(new Row(m.group(1), cells[1], cells[2], Outcome.valueOf(cells[3].split("[\\s(]")[0].toUpperCase(java.util.Locale.ROOT)),
          cells[4], code(cells[5])));
    }
    return rows;
  }

  /** The cells between the outer pipes; a pipe inside a code span is written as \|. */
  private static String[] cells(String line) {
    String inner = line.strip().replaceAll("^\\||\\|$", "");
    return Arrays.stream(inner.split("(?<!\\\\)\\|")).map(c -> c.replace("\\|", "|").strip()).toArray(String[]::new);
  }

  private static String code(String cell) {
    Matcher m = CODE.matcher(cell);
    return m.find() ? m.group(1) : cell.strip();
  }

  private static String expand(String json) {
    return REPEAT.matcher(json).replaceAll(r -> "\"" + Matcher.quoteReplacement(r.group(1).repeat(Integer.parseInt(r.group(2)))) + "\"");
  }
}
