package io.ledgerline.eventstore.personaldata;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads {@code owner_data_key} (the command side's migration V10), never writes it: both services
 * read keys through here, with their own roles (the query side's may only select).
 */
public class JdbcOwnerKeyStore implements OwnerKeyStore {

  private static final String KEYS =
      "select owner_id, key_id, key, key_wrapping, erased_at from owner_data_key";

  private final JdbcTemplate jdbc;
  private final KeyEncryption encryption;

  public JdbcOwnerKeyStore(DataSource dataSource, KeyEncryption encryption) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.encryption = encryption;
  }

  @Override
  public Optional<OwnerKey> byKeyId(String keyId) {
    return jdbc.query(KEYS + " where key_id = ?", (row, n) -> key(row), keyId).stream().findFirst();
  }

  @Override
  public Optional<OwnerKey> byOwner(String ownerId) {
    return jdbc.query(KEYS + " where owner_id = ?", (row, n) -> key(row), ownerId).stream()
        .findFirst();
  }

  private OwnerKey key(ResultSet row) throws SQLException {
    String keyId = row.getString("key_id");
    byte[] stored = row.getBytes("key");
    Timestamp erasedAt = row.getTimestamp("erased_at");
    return new OwnerKey(
        row.getString("owner_id"),
        keyId,
        stored == null ? null : encryption.unwrap(keyId, row.getString("key_wrapping"), stored),
        erasedAt == null ? null : erasedAt.toInstant());
  }
}
