package io.ledgerline.query.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a cursor is valid for: the list that issued it and a fingerprint of the filters and sort of
 * the query. A cursor presented to another list or with other parameters is refused.
 *
 * @param list the list's stable name, e.g. {@code accounts}
 * @param fingerprint a digest of the query's filters and sort
 */
public record CursorScope(String list, String fingerprint) {

  /**
   * The scope of a list queried with these filter and sort values (in a fixed order; null for an
   * absent one). The page size is not part of it: a client may change it between pages.
   */
  public static CursorScope of(String list, Object... filters) {
    StringBuilder canonical = new StringBuilder();
    canonical.append(list.length()).append(':').append(list).append(';');
    for (Object filter : filters) {
      if (filter == null) {
        canonical.append("-;"); // Length-prefixed values: no two parameter lists read the same.
      } else {
        String value = filter.toString();
        canonical.append(value.length()).append(':').append(value).append(';');
      }
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return new CursorScope(
          list, Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
