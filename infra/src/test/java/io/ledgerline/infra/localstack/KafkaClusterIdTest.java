package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaClusterIdTest {

  @Test
  void clusterIdsAreValidKafkaUuidsThatNeverLookLikeAnOption() {
    Set<String> seen = new HashSet<>();
    // With a random first character, about one id in 64 would start with '-'.
    for (int i = 0; i < 20_000; i++) {
      String id = KafkaNode.clusterId();
      assertThat(id).hasSize(22).matches("[A-Za-z][A-Za-z0-9_-]{21}").doesNotStartWith("-");
      byte[] bytes = Base64.getUrlDecoder().decode(id);
      assertThat(bytes).hasSize(16);
      // Kafka prints a Uuid as exactly this: URL-safe Base64 of its 16 bytes, without padding.
      assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).isEqualTo(id);
      seen.add(id);
    }
    assertThat(seen).hasSize(20_000);
  }
}
