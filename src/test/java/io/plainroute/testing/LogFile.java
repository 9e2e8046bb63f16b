package io.plainroute.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reading log files that a child process is still writing to. */
final class LogFile {

  private LogFile() {
  }

  static List<String> tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      // Lenient decoding: a process killed mid-write can leave a truncated multi-byte character.
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      List<String> all = Arrays.asList(text.split("\n", -1));
      if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
        all = all.subList(0, all.size() - 1);
      }
      return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String formatTail(Path file, int lines) {
    return "--- last " + lines + " lines of " + file + " ---\n" + String.join("\n", tail(file, lines));
  }

  /** Hands out complete lines as they are appended; a half-written last line waits for its newline. */
  static final class Cursor {
    private final Path file;
    private long position;
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    Cursor(Path file) {
      this.file = file;
    }

    List<String> newLines() {
      List<String> lines = new ArrayList<>();
      if (!Files.exists(file)) {
        return lines;
      }
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        in.seek(position);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
          position += n;
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              lines.add(partial.toString(StandardCharsets.UTF_8));
              partial.reset();
            } else {
              partial.write(buffer[i]);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return lines;
    }
  }
}
