package io.plainroute.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.plainroute.netlink.Ipv4Prefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniConfigWriterTest {

  private static final CniConfig LECTURE_NODE = CniConfigTest.LECTURE_NODE;
  private static final CniConfig OTHER_SUBNET =
      new CniConfig("cni0", 1500, Ipv4Prefix.parse("10.244.7.0/24"), Ipv4Prefix.parseAddress("10.244.7.1"));

  @TempDir
  Path root;

  @Test
  void writesTheConflistOnceAndCreatesTheDirectory() throws IOException {
    Path directory = root.resolve("etc/cni/net.d");
    CniConfigWriter writer = new CniConfigWriter(directory);

    assertThat(writer.write(LECTURE_NODE)).isTrue();

    assertThat(writer.file()).isEqualTo(directory.resolve("10-plainroute.conflist"));
    assertThat(Files.readString(writer.file(), UTF_8)).isEqualTo(LECTURE_NODE.render());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(writer.file()))).isEqualTo("rw-r--r--");
    assertThat(listing(directory)).containsExactly("10-plainroute.conflist");
  }

  @Test
  void leavesAnUnchangedConfigAlone() throws Exception {
    CniConfigWriter writer = new CniConfigWriter(root);
    writer.write(LECTURE_NODE);
    Object inode = inode(writer.file());
    // An old timestamp makes a rewrite visible even on file systems with coarse timestamps.
    FileTime past = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(writer.file(), past);

    assertThat(writer.write(LECTURE_NODE)).isFalse();

    assertThat(inode(writer.file())).isEqualTo(inode);
    assertThat(Files.getLastModifiedTime(writer.file())).isEqualTo(past);
    assertThat(listing(root)).containsExactly("10-plainroute.conflist");
  }

  @Test
  void replacesAChangedConfigByRenaming() throws Exception {
    CniConfigWriter writer = new CniConfigWriter(root);
    writer.write(LECTURE_NODE);
    Object inode = inode(writer.file());

    assertThat(writer.write(OTHER_SUBNET)).isTrue();

    assertThat(Files.readString(writer.file(), UTF_8)).isEqualTo(OTHER_SUBNET.render());
    // A new inode: the runtime saw the old file or the new one, never one being rewritten.
    assertThat(inode(writer.file())).isNotEqualTo(inode);
    assertThat(listing(root)).containsExactly("10-plainroute.conflist");
  }

  @Test
  void replacesAFileThatSomeoneEdited() throws IOException {
    CniConfigWriter writer = new CniConfigWriter(root);
    Files.writeString(writer.file(), "{}\n");

    assertThat(writer.write(LECTURE_NODE)).isTrue();

    assertThat(Files.readString(writer.file(), UTF_8)).isEqualTo(LECTURE_NODE.render());
  }

  @Test
  void leavesNoTemporaryFileWhenTheRenameFails() throws IOException {
    CniConfigWriter writer = new CniConfigWriter(root);
    // A non-empty directory where the file should be: rename(2) refuses to replace it.
    Files.createDirectories(writer.file().resolve("in-the-way"));

    assertThatIOException().isThrownBy(() -> writer.write(LECTURE_NODE));

    assertThat(listing(root)).containsExactly("10-plainroute.conflist");
    assertThat(writer.file()).isDirectory();
  }

  @Test
  void deletesTemporaryFilesThatAKilledWriterLeft() throws IOException {
    CniConfigWriter writer = new CniConfigWriter(root);
    Files.writeString(root.resolve(".10-plainroute.conflist.12345.tmp"), "{");

    writer.write(LECTURE_NODE);

    assertThat(listing(root)).containsExactly("10-plainroute.conflist");
  }

  @Test
  void touchesNoOtherFileInTheDirectory() throws IOException {
    Path other = Files.writeString(root.resolve("05-other.conflist"), "{\"name\": \"other\"}\n");
    Path notes = Files.writeString(root.resolve("10-plainroute.conflist.bak"), "kept\n");
    CniConfigWriter writer = new CniConfigWriter(root);

    writer.write(LECTURE_NODE);
    writer.write(OTHER_SUBNET);
    assertThat(writer.remove()).isTrue();

    assertThat(listing(root)).containsExactly("05-other.conflist", "10-plainroute.conflist.bak");
    assertThat(Files.readString(other)).isEqualTo("{\"name\": \"other\"}\n");
    assertThat(Files.readString(notes)).isEqualTo("kept\n");
  }

  @Test
  void removeIsQuietWhenThereIsNothingToRemove() throws IOException {
    assertThat(new CniConfigWriter(root).remove()).isFalse();
    assertThat(new CniConfigWriter(root.resolve("missing")).remove()).isFalse();
    assertThat(root.resolve("missing")).doesNotExist();
  }

  private static Object inode(Path file) throws IOException {
    return Files.getAttribute(file, "unix:ino");
  }

  private static List<String> listing(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }
}
