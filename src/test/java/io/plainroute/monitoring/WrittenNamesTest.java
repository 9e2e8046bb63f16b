package io.plainroute.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan finds a reason however the code hands it over, on a small code base of its own. */
class WrittenNamesTest {

  @Test
  void followsConstantsTernariesVariablesHelpersOptionalsKeysAndJson(@TempDir Path src) throws IOException {
    write(src, "a/Reasons.java", """
        package a;
        public final class Reasons {
          public static final String FROM_ANOTHER_CLASS = "FromAnotherClass";
          private Reasons() {}
        }
        """);
    write(src, "a/Writer.java", """
        package a;
        import java.util.Map;
        import java.util.Optional;
        public class Writer {
          public enum Kind { Normal, Warning }
          void set(String type, boolean status, String reason, String message) {}
          void event(Object about, Kind kind, String reason, String message) {}
          record Finding(String reason, String message) {}
          void helper(String type, String why) { set(type, false, why, "passed through a helper's parameter"); }
          Optional<String> problem(boolean b) { return b ? Optional.of("FromOptional") : Optional.empty(); }
          void run(boolean ok) {
            set("Ready", ok, ok ? "TernaryTrue" : "TernaryFalse", "m");
            set("Other", ok, Reasons.FROM_ANOTHER_CLASS, "m");
            String local = ok ? "LocalA" : "LocalB";
            set("Ready", ok, local, "m");
            helper("HelperType", "ViaHelper");
            set("Ready", ok, problem(ok).orElse("OrElse"), "m");
            new Finding("RecordReason", "m");
            event(this, Kind.Warning, "AnEvent", "m");
            Map<String, String> patch = Map.of("type", "NetworkUnavailable", "reason", "KeyedReason");
            String json = "{\\"type\\":\\"NetworkUnavailable\\",\\"reason\\":\\"JsonReason\\"}";
          }
        }
        """);
    WrittenNames.Found found = WrittenNames.in(src);
    assertThat(found.conditionReasons()).containsOnlyKeys("TernaryTrue", "TernaryFalse", "FromAnotherClass", "LocalA", "LocalB",
        "ViaHelper", "FromOptional", "OrElse", "RecordReason", "KeyedReason", "JsonReason");
    assertThat(found.eventReasons()).containsOnlyKeys("AnEvent");
    assertThat(found.conditionTypes()).containsOnlyKeys("Ready", "Other", "HelperType");
    assertThat(found.conditionReasons().get("ViaHelper")).anyMatch(where -> where.startsWith("a/Writer.java:"));
  }

  private static void write(Path root, String file, String text) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }
}
