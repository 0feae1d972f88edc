package io.ledgerline.eventstore.personaldata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingOwnerKeyStoreTest {

  private static final Duration TTL = Duration.ofSeconds(5);

  private final Map<String, OwnerKey> table = new HashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong now = new AtomicLong();
  private final OwnerKeyStore source =
      new OwnerKeyStore() {
        @Override
        public Optional<OwnerKey> byKeyId(String keyId) {
          reads.incrementAndGet();
          return table.values().stream().filter(k -> k.keyId().equals(keyId)).findFirst();
        }

        @Override
        public Optional<OwnerKey> byOwner(String ownerId) {
          reads.incrementAndGet();
          return Optional.ofNullable(table.get(ownerId));
        }
      };
  private final CachingOwnerKeyStore testSubject =
      new CachingOwnerKeyStore(source, TTL, 100, now::get);

  @Test
  void aKeyReadIsUsedForItsTimeToLiveThenReadAgain() {
    table.put("alice", live("alice", "k-1"));

    testSubject.byKeyId("k-1");
    now.addAndGet(TTL.toNanos() - 1);
    assertThat(testSubject.byKeyId("k-1")).isPresent();
    assertThat(testSubject.byOwner("alice")).isPresent();
    assertThat(reads).hasValue(1);

    now.addAndGet(1);
    testSubject.byKeyId("k-1");
    assertThat(reads).hasValue(2);
  }

  @Test
  void anotherInstancesErasureIsSeenWithinTheTimeToLive() {
    table.put("alice", live("alice", "k-1"));
    assertThat(testSubject.byKeyId("k-1")).get().matches(key -> !key.erased());

    table.put("alice", erased("alice", "k-1"));
    now.addAndGet(TTL.toNanos());

    assertThat(testSubject.byKeyId("k-1")).get().matches(OwnerKey::erased);
  }

  @Test
  void forgettingAnOwnerReadsItsKeyAfreshAtOnce() {
    table.put("alice", live("alice", "k-1"));
    testSubject.byKeyId("k-1");
    table.put("alice", erased("alice", "k-1"));

    testSubject.forget("alice");

    assertThat(testSubject.byKeyId("k-1")).get().matches(OwnerKey::erased);
    assertThat(testSubject.byOwner("alice")).get().matches(OwnerKey::erased);
  }

  @Test
  void anErasedKeyStaysErasedWithoutBeingReadAgain() {
    table.put("alice", erased("alice", "k-1"));
    testSubject.byKeyId("k-1");

    now.addAndGet(TTL.toNanos() * 100);

    assertThat(testSubject.byKeyId("k-1")).get().matches(OwnerKey::erased);
    assertThat(reads).hasValue(1);
  }

  @Test
  void aMissingKeyIsNotRemembered() {
    assertThat(testSubject.byOwner("bob")).isEmpty();
    table.put("bob", live("bob", "k-2"));

    assertThat(testSubject.byOwner("bob")).isPresent();
  }

  @Test
  void withoutATimeToLiveEveryLookupReads() {
    CachingOwnerKeyStore uncached = new CachingOwnerKeyStore(source, Duration.ZERO, 100, now::get);
    table.put("alice", live("alice", "k-1"));

    uncached.byKeyId("k-1");
    uncached.byKeyId("k-1");

    assertThat(reads).hasValue(2);
  }

  private static OwnerKey live(String owner, String keyId) {
    return new OwnerKey(owner, keyId, PersonalDataCipher.newKey(), null);
  }

  private static OwnerKey erased(String owner, String keyId) {
    return new OwnerKey(owner, keyId, null, Instant.parse("2026-03-02T14:05:12Z"));
  }
}
