package io.ledgerline.infra.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of one image layer by their path in the image, written as an uncompressed tar: every
 * entry owned by root, at one fixed time, in path order, so the same files give the same bytes.
 * Parents are added as directories (0755) when no entry names them.
 */
final class Layer {

  /** One entry: a directory, or a file whose bytes come from {@code source} or {@code content}. */
  private record Entry(boolean directory, int mode, Path source, byte[] content) {}

  private static final int BLOCK = 512;
  // One second after the epoch, as Jib stamps the files it adds.
  private static final long MTIME = 1;

  private final Map<String, Entry> entries = new TreeMap<>();

  void directory(String path, int mode) {
    String name = normalise(path);
    addParents(name);
    entries.put(name + "/", new Entry(true, mode, null, null));
  }

  /** A file with the bytes {@code source} has now (a symbolic link is followed). */
  void file(String path, int mode, Path source) {
    String name = normalise(path);
    addParents(name);
    entries.put(name, new Entry(false, mode, source, null));
  }

  void file(String path, int mode, String content) {
    String name = normalise(path);
    addParents(name);
    entries.put(name, new Entry(false, mode, null, content.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Every file under {@code directory}, at {@code into} in the image: executables 0755, other files
   * 0644, directories 0755. Symbolic links are followed; a dangling one is left out.
   */
  void tree(String into, Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted().toList()) {
        String relative = directory.relativize(file).toString().replace('\\', '/');
        String path = relative.isEmpty() ? into : into + "/" + relative;
        if (Files.isDirectory(file)) {
          directory(path, 0755);
        } else if (Files.isRegularFile(file)) {
          file(path, Files.isExecutable(file) ? 0755 : 0644, file);
        }
      }
    }
  }

  /** Takes out an entry and, for a directory, everything under it. */
  void remove(String path) {
    String name = normalise(path);
    entries.keySet().removeIf(key -> key.equals(name) || key.startsWith(name + "/"));
  }

  boolean contains(String path) {
    String name = normalise(path);
    return entries.containsKey(name) || entries.containsKey(name + "/");
  }

  /** Writes the layer as a tar archive: ustar headers, then two empty blocks. */
  void writeTo(OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    for (Map.Entry<String, Entry> named : entries.entrySet()) {
      Entry entry = named.getValue();
      long size =
          entry.directory()
              ? 0
              : entry.content() != null ? entry.content().length : Files.size(entry.source());
      out.write(header(named.getKey(), entry.mode(), size, entry.directory()));
      if (entry.directory()) {
        continue;
      }
      long written = 0;
      if (entry.content() != null) {
        out.write(entry.content());
        written = entry.content().length;
      } else {
        try (InputStream in = Files.newInputStream(entry.source())) {
          for (int read; (read = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, read);
            written += read;
          }
        }
      }
      if (written != size) {
        throw new IOException(entry.source() + " changed while it was being archived");
      }
      int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
      out.write(new byte[padding]);
    }
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void addParents(String name) {
    for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
      entries.putIfAbsent(name.substring(0, slash) + "/", new Entry(true, 0755, null, null));
    }
  }

  private static String normalise(String path) {
    String name = path.replace('\\', '/');
    while (name.startsWith("/")) {
      name = name.substring(1);
    }
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty() || name.contains("//") || name.contains("../") || name.equals("..")) {
      throw new IllegalArgumentException("not a path in an image: " + path);
    }
    return name;
  }

  /** A ustar header; a path over 100 bytes is split into prefix and name at a slash. */
  static byte[] header(String path, int mode, long size, boolean directory) {
    byte[] header = new byte[BLOCK];
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    String name = path;
    String prefix = "";
    if (bytes.length > 100) {
      int split = path.lastIndexOf('/', path.length() - 2);
      while (split > 0
          && (path.substring(0, split).getBytes(StandardCharsets.UTF_8).length > 155
              || path.substring(split + 1).getBytes(StandardCharsets.UTF_8).length > 100)) {
        split = path.lastIndexOf('/', split - 1);
      }
      if (split <= 0) {
        throw new IllegalArgumentException("path too long for a ustar archive: " + path);
      }
      prefix = path.substring(0, split);
      name = path.substring(split + 1);
    }
    put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, MTIME);
    header[156] = (byte) (directory ? '5' : '0');
    put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    put(header, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
    put(header, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
    put(header, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
    // The checksum is taken with its own field read as eight spaces.
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    byte[] digits = String.format("%06o", checksum).getBytes(StandardCharsets.US_ASCII);
    put(header, 148, 6, digits);
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  private static void put(byte[] header, int offset, int length, byte[] value) {
    if (value.length > length) {
      throw new IllegalArgumentException("field too long: " + new String(value));
    }
    System.arraycopy(value, 0, header, offset, value.length);
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException("value too large for a ustar field: " + value);
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    put(header, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
    header[offset + length - 1] = 0;
  }
}
