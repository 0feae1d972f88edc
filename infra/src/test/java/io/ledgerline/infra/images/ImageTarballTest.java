package io.ledgerline.infra.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTarballTest {

  private static final String LONG_PATH =
      "opt/java/openjdk/legal/java.xml.crypto/a-folder-name-long-enough/to-need-the-ustar-prefix/"
          + "santuario.md";

  private final ImageTarball testSubject =
      new ImageTarball(
          "ledgerline/base-local:17",
          "amd64",
          List.of("JAVA_HOME=/opt/java/openjdk", "LANG=C.UTF-8"),
          Map.of("org.opencontainers.image.title", "a \"quoted\" title"),
          "a test");

  @TempDir Path folder;

  @Test
  void writesAnImageAsDockerSaveDoesWithTheLayersDigestInItsConfiguration() throws Exception {
    Path image = folder.resolve("base.tar");
    testSubject.write(layer(), image);

    Map<String, Entry> outer = read(Files.readAllBytes(image));
    assertThat(outer).containsOnlyKeys("config.json", "layer.tar", "manifest.json");
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(outer.get("manifest.json").content()).get(0);
    assertThat(manifest.get("Config").asText()).isEqualTo("config.json");
    assertThat(manifest.get("Layers").get(0).asText()).isEqualTo("layer.tar");
    assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("ledgerline/base-local:17");

    byte[] layer = outer.get("layer.tar").content();
    JsonNode config = json.readTree(outer.get("config.json").content());
    assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    assertThat(config.get("os").asText()).isEqualTo("linux");
    assertThat(config.at("/rootfs/diff_ids/0").asText())
        .isEqualTo("sha256:" + HexFormat.of().formatHex(sha256(layer)));
    assertThat(config.at("/config/Env/0").asText()).isEqualTo("JAVA_HOME=/opt/java/openjdk");
    assertThat(config.at("/config/Labels/org.opencontainers.image.title").asText())
        .isEqualTo("a \"quoted\" title");
  }

  @Test
  void theLayerKeepsModesParentsAndLongPathsOwnedByRoot() throws Exception {
    Path image = folder.resolve("base.tar");
    testSubject.write(layer(), image);

    Map<String, Entry> layer = read(read(Files.readAllBytes(image)).get("layer.tar").content());
    assertThat(layer.get("tmp/").mode()).isEqualTo(01777);
    assertThat(layer.get("usr/bin/").mode()).isEqualTo(0755);
    assertThat(layer.get("usr/bin/tool").mode()).isEqualTo(0755);
    assertThat(new String(layer.get("etc/passwd").content(), StandardCharsets.UTF_8))
        .isEqualTo("root:x:0:0:root:/root:/usr/sbin/nologin\n");
    assertThat(layer.get(LONG_PATH).content()).isEqualTo("legal text".getBytes());
    assertThat(layer.values()).allSatisfy(e -> assertThat(e.uid()).isZero());
    assertThat(List.copyOf(layer.keySet())).isSorted();
  }

  @Test
  void theSameFilesGiveTheSameImage() throws Exception {
    Path first = folder.resolve("first.tar");
    Path second = folder.resolve("second.tar");
    testSubject.write(layer(), first);
    testSubject.write(layer(), second);

    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
  }

  private Layer layer() throws IOException {
    Path tool = folder.resolve("tool");
    Files.writeString(tool, "#!/bin/sh\n");
    Path legal = folder.resolve("legal.md");
    Files.writeString(legal, "legal text");
    Layer layer = new Layer();
    layer.directory("/tmp", 01777);
    layer.file("/usr/bin/tool", 0755, tool);
    layer.file("/etc/passwd", 0644, "root:x:0:0:root:/root:/usr/sbin/nologin\n");
    layer.file("/" + LONG_PATH, 0644, legal);
    return layer;
  }

  private record Entry(int mode, long uid, byte[] content) {}

  /** A ustar reader: enough for what Layer writes. */
  private static Map<String, Entry> read(byte[] tar) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    int offset = 0;
    while (offset + 512 <= tar.length) {
      byte[] header = Arrays.copyOfRange(tar, offset, offset + 512);
      if (header[0] == 0) {
        break;
      }
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
      long uid = Long.parseLong(field(header, 108, 8).trim(), 8);
      int size = Integer.parseInt(field(header, 124, 12).trim(), 8);
      offset += 512;
      byte[] content = Arrays.copyOfRange(tar, offset, offset + size);
      entries.put(prefix.isEmpty() ? name : prefix + "/" + name, new Entry(mode, uid, content));
      offset += (size + 511) / 512 * 512;
    }
    return entries;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
