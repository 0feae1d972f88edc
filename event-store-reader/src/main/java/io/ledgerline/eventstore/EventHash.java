package io.ledgerline.eventstore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The event store's tamper evidence, computed in Java: the same formulas the database applies on
 * insert (the command side's migration {@code V4__tamper_evidence.sql}) and the checkpoint writer
 * signs. Nothing else in Ledgerline may compute them.
 *
 * <ul>
 *   <li>each event is chained to its aggregate's previous one: {@code sha256(previous ||
 *       sha256(identity) || sha256(payload) || sha256(metadata))}, where identity is {@code
 *       aggregate|sequence|type|payload type|revision|timestamp} in UTF-8 (a null type or revision
 *       as empty text, no previous and no metadata as no bytes) — {@code ledgerline_event_hash};
 *   <li>the global order is sealed by a running hash: {@code sha256(running || event hash)}, from
 *       no bytes, over every event's hash in position order;
 *   <li>each checkpoint is signed: HMAC-SHA256 over the last position and the event count (two
 *       big-endian longs) and the running hash, with a key kept outside the database.
 * </ul>
 */
public final class EventHash {

  private EventHash() {}

  /** An event's link in its aggregate's chain, from the fields as stored. */
  public static byte[] of(byte[] previous, StoredEvent event) {
    return of(
        previous,
        event.aggregateId(),
        event.sequence(),
        event.aggregateType(),
        event.payloadType(),
        event.payloadRevision(),
        event.timestamp(),
        event.payload(),
        event.metadata());
  }

  /**
   * An event's link in its aggregate's chain: {@code ledgerline_event_hash} of migration V4.
   *
   * @param previous the hash of the aggregate's previous event, {@code null} for its first
   * @param aggregateType the stored {@code type} column, may be {@code null}
   * @param payloadRevision the stored revision, may be {@code null}
   * @param timestamp the stored {@code time_stamp} text, exactly as stored
   * @param metadata the stored metadata, may be {@code null}
   */
  public static byte[] of(
      byte[] previous,
      String aggregateId,
      long sequence,
      String aggregateType,
      String payloadType,
      String payloadRevision,
      String timestamp,
      byte[] payload,
      byte[] metadata) {
    String identity =
        aggregateId
            + '|'
            + sequence
            + '|'
            + nullToEmpty(aggregateType)
            + '|'
            + payloadType
            + '|'
            + nullToEmpty(payloadRevision)
            + '|'
            + timestamp;
    MessageDigest digest = sha256();
    if (previous != null) {
      digest.update(previous);
    }
    digest.update(sha256().digest(identity.getBytes(StandardCharsets.UTF_8)));
    digest.update(sha256().digest(payload));
    digest.update(sha256().digest(metadata == null ? new byte[0] : metadata));
    return digest.digest();
  }

  /** The running hash before the first event: no bytes. */
  public static byte[] runningStart() {
    return new byte[0];
  }

  /** The running hash over the global order, extended by the next event's hash. */
  public static byte[] running(byte[] previous, byte[] eventHash) {
    MessageDigest digest = sha256();
    digest.update(previous);
    digest.update(eventHash);
    return digest.digest();
  }

  /** A checkpoint's signature: HMAC-SHA256 with {@code key} over its three fields. */
  public static byte[] signature(byte[] key, long upTo, long count, byte[] running) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(ByteBuffer.allocate(16).putLong(upTo).putLong(count).array());
      mac.update(running);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
