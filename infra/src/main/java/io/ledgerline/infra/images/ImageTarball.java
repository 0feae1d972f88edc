package io.ledgerline.infra.images;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a one-layer image as {@code docker save} does ({@code manifest.json}, the image
 * configuration and the uncompressed layer), which {@code docker load} and Jib's {@code tar://}
 * base image prefix read.
 *
 * @param repoTag the name the image is saved under, e.g. {@code ledgerline/base-local:17}
 * @param architecture the image's CPU architecture as images name it ({@code amd64}, {@code arm64})
 * @param environment the containers' environment, in order
 * @param labels the image's labels
 * @param createdBy what made the layer, for the image's history
 */
record ImageTarball(
    String repoTag,
    String architecture,
    List<String> environment,
    Map<String, String> labels,
    String createdBy) {

  static final String MANIFEST = "manifest.json";
  static final String CONFIG = "config.json";
  static final String LAYER = "layer.tar";

  /** Writes {@code layer} and this configuration to {@code target}, replacing it when complete. */
  void write(Layer layer, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path layerFile = Files.createTempFile(target.toAbsolutePath().getParent(), "layer", ".tar");
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try {
      MessageDigest sha256 = sha256();
      try (OutputStream out =
          new DigestOutputStream(
              new BufferedOutputStream(Files.newOutputStream(layerFile)), sha256)) {
        layer.writeTo(out);
      }
      String diffId = "sha256:" + HexFormat.of().formatHex(sha256.digest());
      Layer image = new Layer();
      image.file(MANIFEST, 0644, manifest());
      image.file(CONFIG, 0644, configuration(diffId));
      image.file(LAYER, 0644, layerFile);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
        image.writeTo(out);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(layerFile);
      Files.deleteIfExists(partial);
    }
  }

  String manifest() {
    return "[{\"Config\":"
        + json(CONFIG)
        + ",\"RepoTags\":["
        + json(repoTag)
        + "],\"Layers\":["
        + json(LAYER)
        + "]}]";
  }

  /** The image configuration: platform, environment, labels and the one layer's diff id. */
  String configuration(String diffId) {
    StringBuilder env = new StringBuilder();
    for (String variable : environment) {
      env.append(env.length() == 0 ? "" : ",").append(json(variable));
    }
    StringBuilder labelsJson = new StringBuilder();
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      labelsJson
          .append(labelsJson.length() == 0 ? "" : ",")
          .append(json(label.getKey()))
          .append(':')
          .append(json(label.getValue()));
    }
    return "{\"architecture\":"
        + json(architecture)
        + ",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\"config\":{\"Env\":["
        + env
        + "],\"Labels\":{"
        + labelsJson
        + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
        + json(diffId)
        + "]},\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":"
        + json(createdBy)
        + "}]}";
  }

  static String json(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
